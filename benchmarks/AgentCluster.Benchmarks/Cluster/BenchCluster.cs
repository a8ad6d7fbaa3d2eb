using System.Collections.Immutable;
using System.Security.Cryptography;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Hosting;
using AgentCluster.Grains.Sessions;
using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Hosting;
using AgentCluster.Silo.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;

namespace AgentCluster.Benchmarks.Cluster;

/// <summary>
/// One in-process silo on PostgreSQL with one Docker engine, an Orleans client beside it (the
/// proxy's view of the cluster), and live sessions of a "bench" tenant.
/// </summary>
internal sealed class BenchCluster : IAsyncDisposable
{
    public const string Tenant = "bench";

    private BenchCluster(IHost silo, IHost client, ISessionGrain[] sessions)
    {
        Silo = silo;
        Client = client;
        Sessions = sessions;
    }

    public IHost Silo { get; }

    public IHost Client { get; }

    /// <summary>Work spread over several sessions, as a fleet of agents would: one session's calls are serialised by its grain.</summary>
    public ISessionGrain[] Sessions { get; }

    public IGrainFactory GrainsInSilo => Silo.Services.GetRequiredService<IGrainFactory>();

    public IClusterClient GrainsViaClient => Client.Services.GetRequiredService<IClusterClient>();

    public string ClusterId { get; private init; } = "";

    public static async Task<BenchCluster> StartAsync(
        string connectionString, string dockerEndpoint, BenchTls tls, int sessions, string[]? allowGrants = null, string[]? allowHosts = null)
    {
        Environment.SetEnvironmentVariable(VaultOptions.EnvironmentVariable, "bench=" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var id = $"bench-{Guid.NewGuid():N}";
        var options = new AgentClusterOptions
        {
            DataDir = Path.Combine(Path.GetTempPath(), id), ClusterId = id, ServiceId = id,
            Storage = { Provider = StorageOptions.Postgres, ConnectionString = connectionString },
            Cluster = { Tls = tls.Silo },
        };
        options.Ports.Silo = 23_000 + Random.Shared.Next(1000);
        options.Ports.Gateway = options.Ports.Silo + 1000;
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(options.Storage, connectionString, CancellationToken.None);
        var silo = await StartSilo(options, connectionString, dockerEndpoint);
        var client = await StartClient(connectionString, id, tls);
        var grains = silo.Services.GetRequiredService<IGrainFactory>();
        await grains.GetGrain<ITenantGrain>(Tenant).Create(TenantQuotas.Default with { MaxSessions = sessions });
        var created = await Task.WhenAll(Enumerable.Range(0, sessions).Select(async _ =>
        {
            var s = grains.GetGrain<ISessionGrain>(SessionIds.New());
            var result = await s.Create(new SessionRequest(Tenant, "agentcluster/sandbox:local", TimeSpan.FromMinutes(10),
                Grains.Fleet.SandboxSpec.DefaultMemoryBytes, Grains.Fleet.SandboxSpec.DefaultPidsLimit, [.. allowHosts ?? []],
                ImmutableDictionary<string, string>.Empty, null, "bench", [.. allowGrants ?? []], TimeSpan.FromSeconds(300)));
            return result.Status == SessionCreateStatus.Ready ? s : throw new InvalidOperationException($"bench session did not start: {result.Error}");
        }));
        return new BenchCluster(silo, client, created) { ClusterId = id };
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Sessions.Select(s => s.Kill("bench", "benchmark over")));
        Client.Dispose();
        Silo.Dispose();
    }

    /// <summary>A silo in this process with one Docker host, <c>bench</c>, healthy before it returns.</summary>
    internal static async Task<IHost> StartSilo(AgentClusterOptions options, string connectionString, string dockerEndpoint,
        params (string Key, string Value)[] settings)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentCluster:Fleet:Hosts:bench:Endpoint"] = dockerEndpoint,
        }.Concat(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddAgentClusterServices(builder.Configuration, options, connectionString);
        builder.UseOrleans(s => s.UseAgentCluster(options, connectionString, builder.Configuration));
        var host = builder.Build();
        await host.StartAsync();
        // The host must be checked and healthy before it takes the sessions.
        var fleet = host.Services.GetRequiredService<IGrainFactory>().GetGrain<Grains.Fleet.IDockerHostGrain>("bench");
        for (var i = 0; i < 100 && (await fleet.GetStatus())?.Health != Grains.Fleet.HostHealth.Healthy; i++)
            await Task.Delay(200);
        return host;
    }

    private static async Task<IHost> StartClient(string connectionString, string cluster, BenchTls tls)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(c => tls.Apply(c
            .UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", connectionString))
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster, cluster))));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
