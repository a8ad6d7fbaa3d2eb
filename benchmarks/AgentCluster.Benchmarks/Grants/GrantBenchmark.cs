using System.Collections.Immutable;
using System.Security.Cryptography;
using AgentCluster.Benchmarks.Audit;
using AgentCluster.Grains.Audit;
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

namespace AgentCluster.Benchmarks.Grants;

/// <summary>
/// Grants minted per second with their durable audit, and resolves per second from an Orleans
/// client (the proxy's path), each against a baseline measured in the same run: a durable audit
/// append alone, and a plain grain read through the same client.
/// </summary>
internal static class GrantBenchmark
{
    private const int Sessions = 16;

    public static async Task RunAsync(string connectionString, string dockerEndpoint, int grants, int resolves)
    {
        Environment.SetEnvironmentVariable(VaultOptions.EnvironmentVariable, "bench=" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var id = $"bench-{Guid.NewGuid():N}";
        var options = new AgentClusterOptions
        {
            DataDir = Path.Combine(Path.GetTempPath(), id), ClusterId = id, ServiceId = id,
            Storage = { Provider = StorageOptions.Postgres, ConnectionString = connectionString },
        };
        options.Ports.Silo = 23_000 + Random.Shared.Next(1000);
        options.Ports.Gateway = options.Ports.Silo + 1000;
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(options.Storage, connectionString, CancellationToken.None);
        using var silo = await StartSilo(options, connectionString, dockerEndpoint);
        using var client = await StartClient(connectionString, id);
        var grainsInSilo = silo.Services.GetRequiredService<IGrainFactory>();

        var tenant = grainsInSilo.GetGrain<ITenantGrain>("bench");
        await tenant.Create(TenantQuotas.Default with { MaxSessions = Sessions });
        await silo.Services.GetRequiredService<ISecretVault>().PutAsync(
            new SecretMetadata("bench", "stripe", ["api.stripe.com"], ["read"], "Authorization", "Bearer {secret}", null, "", default),
            "sk_bench_secret");
        // Mints spread over several sessions, as a fleet of agents would: one session's grants are serialised by its grain.
        var sessions = await Task.WhenAll(Enumerable.Range(0, Sessions).Select(async _ =>
        {
            var s = grainsInSilo.GetGrain<ISessionGrain>(SessionIds.New());
            var created = await s.Create(new SessionRequest("bench", "agentcluster/sandbox:local", TimeSpan.FromMinutes(10),
                SandboxSpecDefaults.Memory, SandboxSpecDefaults.Pids, [], ImmutableDictionary<string, string>.Empty, null, "bench",
                ["stripe:read"], TimeSpan.FromSeconds(300)));
            return created.Status == SessionCreateStatus.Ready ? s : throw new InvalidOperationException($"bench session did not start: {created.Error}");
        }));
        var session = sessions[0];
        var sessionId = session.GetPrimaryKeyString();

        try
        {
            var audit = silo.Services.GetRequiredService<IAuditLog>();
            var auditBaseline = await Measurement.RunAsync(grants, 1, _ => audit.AppendAsync(new AuditEvent("bench", "bench",
                AuditKinds.GrantIssued, "baseline", AuditOutcomes.Success, "", AuditEvent.NoDetail)));
            var mint = await Measurement.RunAsync(grants, 1, i => sessions[i % Sessions].RequestGrant("stripe", "read", TimeSpan.FromSeconds(300), "bench"));
            var mintLoaded = await Measurement.RunAsync(grants * 2, 64, i => sessions[i % Sessions].RequestGrant("stripe", "read", TimeSpan.FromSeconds(300), "bench"));
            Console.WriteLine($"durable audit append alone (baseline): {auditBaseline}");
            Console.WriteLine($"grant mint with durable audit, one at a time: {mint}");
            Console.WriteLine($"grant mint, 64 in flight: {mintLoaded.Rate:0} grants/s, {mintLoaded.Latency}");

            var issue = await session.RequestGrant("stripe", "read", TimeSpan.FromSeconds(300), "bench");
            var grains = client.Services.GetRequiredService<IClusterClient>();
            var grant = grains.GetGrain<IGrantGrain>(GrantTokens.Hash(issue.Token!));
            var tenantViaClient = grains.GetGrain<ITenantGrain>("bench");
            await Measurement.RunAsync(2000, 64, _ => grant.Resolve(sessionId, "api.stripe.com", "GET")); // warm-up
            var readBaseline = await Measurement.RunAsync(resolves, 64, _ => tenantViaClient.Get());
            var resolved = await Measurement.RunAsync(resolves, 64, async _ =>
            {
                if (!(await grant.Resolve(sessionId, "api.stripe.com", "GET")).Allowed)
                    throw new InvalidOperationException("resolve was refused");
            });
            var single = await Measurement.RunAsync(5000, 1, _ => grant.Resolve(sessionId, "api.stripe.com", "GET"));
            Console.WriteLine($"plain grain read from the client, 64 in flight (baseline): {readBaseline.Rate:0}/s, {readBaseline.Latency}");
            Console.WriteLine($"resolve from the client, 64 in flight: {resolved.Rate:0} resolves/s, {resolved.Latency}");
            Console.WriteLine($"resolve from the client, one at a time: {single.Latency}");
            Console.WriteLine();
            Console.WriteLine($"mint p50/p99 vs durable audit append alone: {mint.Latency.Percentile(50) / auditBaseline.Latency.Percentile(50):0.00}x / " +
                $"{mint.Latency.Percentile(99) / auditBaseline.Latency.Percentile(99):0.00}x");
            Console.WriteLine($"resolve throughput vs plain grain read: {resolved.Rate / readBaseline.Rate:0.00}x");
        }
        finally
        {
            await Task.WhenAll(sessions.Select(s => s.Kill("bench", "benchmark over")));
        }
    }

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
        // The host must be checked and healthy before it takes the session.
        var fleet = host.Services.GetRequiredService<IGrainFactory>().GetGrain<Grains.Fleet.IDockerHostGrain>("bench");
        for (var i = 0; i < 100 && (await fleet.GetStatus())?.Health != Grains.Fleet.HostHealth.Healthy; i++)
            await Task.Delay(200);
        return host;
    }

    private static async Task<IHost> StartClient(string connectionString, string cluster)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(c => c
            .UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", connectionString))
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster, cluster)));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}

internal static class SandboxSpecDefaults
{
    public const long Memory = Grains.Fleet.SandboxSpec.DefaultMemoryBytes;
    public const long Pids = Grains.Fleet.SandboxSpec.DefaultPidsLimit;
}
