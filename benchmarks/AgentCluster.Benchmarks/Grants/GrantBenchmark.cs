using AgentCluster.Benchmarks.Audit;
using AgentCluster.Benchmarks.Cluster;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Tenants;
using Microsoft.Extensions.DependencyInjection;

namespace AgentCluster.Benchmarks.Grants;

/// <summary>
/// Grants minted per second with their durable audit, and resolves per second from an Orleans
/// client (the proxy's path), each against a baseline measured in the same run: a durable audit
/// append alone, and a plain grain read through the same client. Then the same resolves on a
/// cluster in clear, for what the gateway's TLS costs the proxy's path.
/// </summary>
internal static class GrantBenchmark
{
    private const int SessionCount = 16;

    public static async Task RunAsync(string connectionString, string dockerEndpoint, BenchTls tls, int grants, int resolves)
    {
        (double Rate, Latencies Single) overTls;
        await using (var cluster = await BenchCluster.StartAsync(connectionString, dockerEndpoint, tls, SessionCount, ["stripe:read"]))
        {
            await PutSecret(cluster);
            var sessions = cluster.Sessions;
            var audit = cluster.Silo.Services.GetRequiredService<IAuditLog>();
            var auditBaseline = await Measurement.RunAsync(grants, 1, _ => audit.AppendAsync(new AuditEvent(BenchCluster.Tenant, "bench",
                AuditKinds.GrantIssued, "baseline", AuditOutcomes.Success, "", AuditEvent.NoDetail)));
            var mint = await Measurement.RunAsync(grants, 1, i => sessions[i % SessionCount].RequestGrant("stripe", "read", TimeSpan.FromSeconds(300), "bench"));
            var mintLoaded = await Measurement.RunAsync(grants * 2, 64, i => sessions[i % SessionCount].RequestGrant("stripe", "read", TimeSpan.FromSeconds(300), "bench"));
            Console.WriteLine($"durable audit append alone (baseline): {auditBaseline}");
            Console.WriteLine($"grant mint with durable audit, one at a time: {mint}");
            Console.WriteLine($"grant mint, 64 in flight: {mintLoaded.Rate:0} grants/s, {mintLoaded.Latency}");

            var resolve = await WarmResolve(cluster);
            var readBaseline = await Measurement.RunAsync(resolves, 64, _ => cluster.GrainsViaClient.GetGrain<ITenantGrain>(BenchCluster.Tenant).Get());
            Console.WriteLine($"plain grain read from the client, 64 in flight (baseline): {readBaseline.Rate:0}/s, {readBaseline.Latency}");
            overTls = await Resolves(resolve, resolves, "");
            Console.WriteLine();
            Console.WriteLine($"mint p50/p99 vs durable audit append alone: {mint.Latency.Percentile(50) / auditBaseline.Latency.Percentile(50):0.00}x / " +
                $"{mint.Latency.Percentile(99) / auditBaseline.Latency.Percentile(99):0.00}x");
            Console.WriteLine($"resolve throughput vs plain grain read: {overTls.Rate / readBaseline.Rate:0.00}x");
        }

        await using var clear = await BenchCluster.StartAsync(connectionString, dockerEndpoint, BenchTls.Clear, 1, ["stripe:read"]);
        await PutSecret(clear);
        var inClear = await Resolves(await WarmResolve(clear), resolves, " of a cluster in clear");
        Console.WriteLine($"resolve over the gateway's TLS vs in clear: throughput {overTls.Rate / inClear.Rate:0.00}x, " +
            $"one at a time p50 {overTls.Single.Percentile(50) / inClear.Single.Percentile(50):0.00}x");
    }

    private static Task PutSecret(BenchCluster cluster) => cluster.Silo.Services.GetRequiredService<ISecretVault>().PutAsync(
        new SecretMetadata(BenchCluster.Tenant, "stripe", ["api.stripe.com"], ["read"], "Authorization", "Bearer {secret}", null, "", default),
        "sk_bench_secret");

    /// <summary>A resolve of a fresh grant from the client, warmed up.</summary>
    private static async Task<Func<Task<GrantResolution>>> WarmResolve(BenchCluster cluster)
    {
        var session = cluster.Sessions[0];
        var issue = await session.RequestGrant("stripe", "read", TimeSpan.FromSeconds(300), "bench");
        var grant = cluster.GrainsViaClient.GetGrain<IGrantGrain>(GrantTokens.Hash(issue.Token!));
        var use = new GrantUse(session.GetPrimaryKeyString(), "api.stripe.com", ["GET"], OverTls: true);
        await Measurement.RunAsync(2000, 64, _ => grant.Resolve(use));
        return () => grant.Resolve(use);
    }

    /// <summary>Resolves 64 in flight, then one at a time.</summary>
    private static async Task<(double Rate, Latencies Single)> Resolves(Func<Task<GrantResolution>> resolve, int resolves, string where)
    {
        var resolved = await Measurement.RunAsync(resolves, 64, async _ =>
        {
            if (!(await resolve()).Allowed)
                throw new InvalidOperationException("resolve was refused");
        });
        var single = await Measurement.RunAsync(5000, 1, _ => resolve());
        Console.WriteLine($"resolve from the client{where}, 64 in flight: {resolved.Rate:0} resolves/s, {resolved.Latency}");
        Console.WriteLine($"resolve from the client{where}, one at a time: {single.Latency}");
        return (resolved.Rate, single.Latency);
    }
}
