namespace AgentCluster.Grains.Hosting;

/// <summary>
/// The <c>AgentCluster</c> configuration section, read the same way by every process
/// (silo, proxy): appsettings.json, then <c>AgentCluster__…</c> environment variables,
/// then <c>--AgentCluster:…=value</c> switches.
/// </summary>
public sealed class AgentClusterOptions
{
    public const string Section = "AgentCluster";

    public string DataDir { get; set; } = "./data";

    /// <summary>Cluster and service ids; every process of one deployment must agree.</summary>
    public string ClusterId { get; set; } = "agentcluster";

    public string ServiceId { get; set; } = "agentcluster";

    public StorageOptions Storage { get; set; } = new();

    public PortOptions Ports { get; set; } = new();

    /// <summary>How silos, and clients such as the proxy, talk to each other.</summary>
    public ClusterNetworkOptions Cluster { get; set; } = new();

    /// <summary>
    /// Where the API, admin and proxy ports listen. Loopback by default: exposing the control
    /// plane is a deliberate act.
    /// </summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The address other silos and clients use to reach this silo (postgres clustering).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Bind the silo and gateway ports on every interface instead of the advertised one.</summary>
    public bool ListenOnAnyAddress { get; set; }

    /// <summary>
    /// The ports this deployment's own processes listen on: silo, gateway, API, admin, proxy, and
    /// PostgreSQL's when it is the store. Neither a sandbox nor the egress proxy may reach them.
    /// </summary>
    public IReadOnlyList<int> OwnPorts()
    {
        List<int> ports = [Ports.Silo, Ports.Gateway, Ports.Api, Ports.Admin, Ports.Proxy];
        if (Storage.IsPostgres)
            ports.Add(Storage.PostgresPort());
        return [.. ports.Where(p => p is > 0 and <= 65_535).Distinct()];
    }
}

public sealed class StorageOptions
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary><c>sqlite</c> (embedded, single node) or <c>postgres</c> (cluster).</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>Empty for sqlite means <c>Data Source={DataDir}/agentcluster.db</c>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>How long a process keeps retrying an unreachable database before it gives up.</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);

    public bool IsSqlite => string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase);

    /// <summary>The port of a PostgreSQL connection string: its <c>Port</c>, else PostgreSQL's default.</summary>
    public int PostgresPort()
    {
        var builder = new System.Data.Common.DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = ConnectionString;
        }
        catch (ArgumentException)
        {
            // A malformed string fails the store's own start with a clear message; this only protects a port.
            return DefaultPostgresPort;
        }
        return builder.TryGetValue("Port", out var port) && int.TryParse(port?.ToString(), out var p) ? p : DefaultPostgresPort;
    }

    public const int DefaultPostgresPort = 5432;

    public string ResolveConnectionString(string dataDir) =>
        ConnectionString.Length > 0 || !IsSqlite
            ? ConnectionString
            : $"Data Source={Path.Combine(dataDir, "agentcluster.db")}";
}

public sealed class PortOptions
{
    public int Silo { get; set; } = 11111;
    public int Gateway { get; set; } = 30000;
    public int Api { get; set; } = 5080;
    public int Admin { get; set; } = 5081;
    public int Proxy { get; set; } = 8443;
}
