using AgentCluster.Benchmarks.Cluster;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Tenants;
using Microsoft.Extensions.DependencyInjection;

namespace AgentCluster.Benchmarks.Grants;

/// <summary>
/// Grants minted per second with their durable audit, and resolves per second from an Orleans
/// client (the proxy's path), each against a baseline measured in the same run: a durable audit
/// append alone, and a plain grain read through the same client.
/// </summary>
internal static class GrantBenchmark
{
    private const int SessionCount = 16;

    public static async Task RunAsync(string connectionString, string dockerEndpoint, int grants, int resolves)
    {
        await using var cluster = await BenchCluster.StartAsync(connectionString, dockerEndpoint, SessionCount, ["stripe:read"]);
        await cluster.Silo.Services.GetRequiredService<ISecretVault>().PutAsync(
            new SecretMetadata(BenchCluster.Tenant, "stripe", ["api.stripe.com"], ["read"], "Authorization", "Bearer {secret}", null, "", default),
            "sk_bench_secret");
        var sessions = cluster.Sessions;
        var session = sessions[0];
        var sessionId = session.GetPrimaryKeyString();

        var audit = cluster.Silo.Services.GetRequiredService<IAuditLog>();
        var auditBaseline = await Measurement.RunAsync(grants, 1, _ => audit.AppendAsync(new AuditEvent(BenchCluster.Tenant, "bench",
            AuditKinds.GrantIssued, "baseline", AuditOutcomes.Success, "", AuditEvent.NoDetail)));
        var mint = await Measurement.RunAsync(grants, 1, i => sessions[i % SessionCount].RequestGrant("stripe", "read", TimeSpan.FromSeconds(300), "bench"));
        var mintLoaded = await Measurement.RunAsync(grants * 2, 64, i => sessions[i % SessionCount].RequestGrant("stripe", "read", TimeSpan.FromSeconds(300), "bench"));
        Console.WriteLine($"durable audit append alone (baseline): {auditBaseline}");
        Console.WriteLine($"grant mint with durable audit, one at a time: {mint}");
        Console.WriteLine($"grant mint, 64 in flight: {mintLoaded.Rate:0} grants/s, {mintLoaded.Latency}");

        var issue = await session.RequestGrant("stripe", "read", TimeSpan.FromSeconds(300), "bench");
        var grains = cluster.GrainsViaClient;
        var grant = grains.GetGrain<IGrantGrain>(GrantTokens.Hash(issue.Token!));
        var tenantViaClient = grains.GetGrain<ITenantGrain>(BenchCluster.Tenant);
        await Measurement.RunAsync(2000, 64, _ => grant.Resolve(new GrantUse(sessionId, "api.stripe.com", ["GET"], OverTls: true))); // warm-up
        var readBaseline = await Measurement.RunAsync(resolves, 64, _ => tenantViaClient.Get());
        var resolved = await Measurement.RunAsync(resolves, 64, async _ =>
        {
            if (!(await grant.Resolve(new GrantUse(sessionId, "api.stripe.com", ["GET"], OverTls: true))).Allowed)
                throw new InvalidOperationException("resolve was refused");
        });
        var single = await Measurement.RunAsync(5000, 1, _ => grant.Resolve(new GrantUse(sessionId, "api.stripe.com", ["GET"], OverTls: true)));
        Console.WriteLine($"plain grain read from the client, 64 in flight (baseline): {readBaseline.Rate:0}/s, {readBaseline.Latency}");
        Console.WriteLine($"resolve from the client, 64 in flight: {resolved.Rate:0} resolves/s, {resolved.Latency}");
        Console.WriteLine($"resolve from the client, one at a time: {single.Latency}");
        Console.WriteLine();
        Console.WriteLine($"mint p50/p99 vs durable audit append alone: {mint.Latency.Percentile(50) / auditBaseline.Latency.Percentile(50):0.00}x / " +
            $"{mint.Latency.Percentile(99) / auditBaseline.Latency.Percentile(99):0.00}x");
        Console.WriteLine($"resolve throughput vs plain grain read: {resolved.Rate / readBaseline.Rate:0.00}x");
    }
}
