using System.Net;
using System.Security.Cryptography;
using AgentCluster.Tests.Integration.Infrastructure;
using Orleans.Configuration;

namespace AgentCluster.Tests.Integration.Silo.Hosting;

/// <summary>Two silo processes on a fresh PostgreSQL database with the default: mutual TLS from the test run's CA.</summary>
public sealed class TlsClusterFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private PostgresDatabase? _db;

    public string ClusterId { get; } = $"tls-{Guid.NewGuid():N}";
    public PostgresDatabase Db => _db ?? throw new InvalidOperationException("not started");
    public SiloProcess A { get; private set; } = null!;
    public SiloProcess B { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _db = await PostgresDatabase.CreateAsync();
        var env = PostgresSilos.Env("agk_test-" + Guid.NewGuid().ToString("N"));
        // The proxy's start-up asks the cluster for its CA, which lives in the shared vault.
        env["AGENTCLUSTER_VAULT_KEY"] = "k1=" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var args = PostgresSilos.Args(Db.ConnectionString, ClusterId);
        A = SiloProcess.Start(_dir.Sub("a"), args, env);
        B = SiloProcess.Start(_dir.Sub("b"), args, env);
        await Task.WhenAll(A.WaitHealthyAsync(), B.WaitHealthyAsync());
    }

    /// <summary>A client that knows one gateway only (no membership table), configured by <paramref name="tls"/>.</summary>
    public Task<ClusterClient> ClientAt(SiloProcess silo, Action<IClientBuilder> tls) => ClusterClient.StartAsync(c =>
    {
        c.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, silo.GatewayPort));
        c.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (ClusterId, "agentcluster"));
        tls(c);
    });

    public async Task DisposeAsync()
    {
        if (A is not null)
            await A.DisposeAsync();
        if (B is not null)
            await B.DisposeAsync();
        if (_db is not null)
            await _db.DisposeAsync();
        _dir.Dispose();
    }
}
