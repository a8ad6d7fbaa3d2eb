namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>
/// Silo processes on a fresh PostgreSQL database with the test fleet, a bootstrap admin key and
/// one tenant: the cast of every fail-over test. Disposing stops the silos, removes the tenant's
/// containers and drops the database, whatever the test left behind.
/// </summary>
public sealed class PostgresFleetCluster : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private readonly List<ClusterClient> _clients = [];

    private PostgresFleetCluster(PostgresDatabase db, string tenantPrefix)
    {
        Db = db;
        ClusterId = $"{tenantPrefix}-{Guid.NewGuid():N}";
        Tenant = $"{tenantPrefix}-{Guid.NewGuid():N}"[..16];
    }

    public PostgresDatabase Db { get; }
    public string ClusterId { get; }
    public string Tenant { get; }
    public string AdminKey { get; } = "agk_test-" + Guid.NewGuid().ToString("N");
    public List<SiloProcess> Silos { get; } = [];

    /// <summary>Starts <paramref name="silos"/> silos, waits until they serve and the fleet is healthy, and creates the tenant.</summary>
    public static async Task<PostgresFleetCluster> StartAsync(string tenantPrefix, int silos = 3, IReadOnlyDictionary<string, string>? env = null)
    {
        var cluster = new PostgresFleetCluster(await PostgresDatabase.CreateAsync(), tenantPrefix);
        try
        {
            var environment = PostgresSilos.Env(cluster.AdminKey);
            foreach (var (name, value) in env ?? new Dictionary<string, string>())
                environment[name] = value;
            string[] args = [.. PostgresSilos.Args(cluster.Db.ConnectionString, cluster.ClusterId), .. DockerHosts.FleetArgs()];
            cluster.Silos.AddRange(Enumerable.Range(0, silos).Select(i => SiloProcess.Start(cluster._dir.Sub($"s{i}"), args, environment)));
            await Task.WhenAll(cluster.Silos.Select(s => s.WaitHealthyAsync()));
            using var admin = cluster.Admin();
            await admin.Tenants.CreateTenantAsync(new AgentCluster.Api.V1.CreateTenantRequest { Name = cluster.Tenant });
            await admin.WaitForHealthyHostsAsync(DockerHosts.Endpoints.Count);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>An admin client on a silo (the first by default); the caller disposes it.</summary>
    public ApiClients Admin(SiloProcess? silo = null) => new((silo ?? Silos[0]).ApiEndpoint, AdminKey);

    /// <summary>An Orleans client of the cluster, disposed with it.</summary>
    public async Task<ClusterClient> ClientAsync()
    {
        var client = await ClusterClient.PostgresAsync(Db.ConnectionString, ClusterId);
        _clients.Add(client);
        return client;
    }

    /// <summary>The silo process where <paramref name="grain"/> is active now.</summary>
    public async Task<SiloProcess> HostOf(IAddressable grain)
    {
        var client = _clients.FirstOrDefault() ?? await ClientAsync();
        var address = await client.Grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grain)
            ?? throw new InvalidOperationException($"{grain} is not active anywhere");
        return Silos.Single(s => s.SiloPort == address.Endpoint.Port);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
            await client.DisposeAsync();
        foreach (var silo in Silos)
            await silo.DisposeAsync();
        await DockerHosts.RemoveAll($"agentcluster.tenant={Tenant}");
        await Db.DisposeAsync();
        _dir.Dispose();
    }
}
