using System.Diagnostics;
using System.Text;
using AgentCluster.Benchmarks.Audit;
using AgentCluster.Benchmarks.Cluster;
using AgentCluster.Grains.Approvals;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Tenants;
using Microsoft.Extensions.DependencyInjection;

namespace AgentCluster.Benchmarks.Approvals;

/// <summary>
/// Approvals created per second (an irreversible action through a session's gate: classification,
/// approval state, inbox, durable audit), and decision-to-waiter latency: from an approver's
/// decide call to the return of a waiter's long poll from an Orleans client. Baselines from the
/// same run: durable audit appends at the same concurrency, and a plain read of an approval.
/// </summary>
internal static class ApprovalBenchmark
{
    private const int SessionCount = 16;
    private const int InFlight = 64;

    public static async Task RunAsync(string connectionString, string dockerEndpoint, BenchTls tls, int approvals, int decisions)
    {
        await using var cluster = await BenchCluster.StartAsync(connectionString, dockerEndpoint, tls, SessionCount);
        var sessions = cluster.Sessions;
        // Every approval opened here stays pending until the denials below: far more per session
        // than the default cap (5), so the bench tenant takes the ceiling (1000 each, 16,000 in all).
        await cluster.GrainsInSilo.GetGrain<ITenantGrain>(BenchCluster.Tenant).UpdateApprovals(
            ApprovalPolicy.Default with { MaxPendingPerSession = ApprovalPolicy.MaxPendingCeiling });
        var payload = Encoding.UTF8.GetBytes("""{"amount": 4200, "currency": "eur", "customer": "cus_bench"}""");
        var audit = cluster.Silo.Services.GetRequiredService<IAuditLog>();

        await Measurement.RunAsync(200, InFlight, i => Open(sessions[i % SessionCount], payload)); // warm-up
        var auditBaseline = await Measurement.RunAsync(approvals, InFlight, _ => audit.AppendAsync(new AuditEvent(BenchCluster.Tenant, "bench",
            AuditKinds.ApprovalRequested, "baseline", AuditOutcomes.Success, "", AuditEvent.NoDetail)));
        var created = await Measurement.RunAsync(approvals, InFlight, i => Open(sessions[i % SessionCount], payload));
        Console.WriteLine($"durable audit append, {InFlight} in flight (baseline): {auditBaseline.Rate:0}/s, {auditBaseline.Latency}");
        Console.WriteLine($"approvals created through the gate, {InFlight} in flight: {created.Rate:0} approvals/s, {created.Latency}");

        // Every approval opened so far is still pending: deny them all (a measure of its own), so the
        // tenant's inbox is empty again and the decisions below are timed against a normal inbox.
        var pending = await cluster.GrainsInSilo.GetGrain<IApprovalInboxGrain>(BenchCluster.Tenant).List();
        var denied = await Measurement.RunAsync(pending.Count, InFlight, i =>
            cluster.GrainsInSilo.GetGrain<IApprovalGrain>(pending[i]).Decide(false, "bench-approver", "benchmark"));
        Console.WriteLine($"denials of {pending.Count} pending approvals, {InFlight} in flight: {denied.Rate:0} decisions/s, {denied.Latency}");

        var ids = new string[decisions];
        await Measurement.RunAsync(decisions, InFlight, async i => ids[i] = await Open(sessions[i % SessionCount], payload));
        var viaClient = cluster.GrainsViaClient;
        var readBaseline = await Measurement.RunAsync(decisions, 1, i => viaClient.GetGrain<IApprovalGrain>(ids[i]).Get());
        var decide = new Latencies();
        var toWaiter = new Latencies();
        for (var i = 0; i < decisions; i++)
        {
            var waiter = viaClient.GetGrain<IApprovalGrain>(ids[i]);
            var stopwatch = new Stopwatch();
            var waiting = Task.Run(async () =>
            {
                var decided = await waiter.WaitForDecision(TimeSpan.FromSeconds(20));
                var elapsed = stopwatch.Elapsed;
                return decided?.Status == ApprovalStatus.Approved ? elapsed : throw new InvalidOperationException("the waiter saw no approval");
            });
            await Task.Delay(2); // the waiter's long poll is in place before the decision
            stopwatch.Start();
            await cluster.GrainsInSilo.GetGrain<IApprovalGrain>(ids[i]).Decide(true, "bench-approver", "");
            decide.Add(stopwatch.Elapsed);
            toWaiter.Add(await waiting);
        }
        Console.WriteLine($"plain read of an approval from the client, one at a time (baseline): {readBaseline.Latency}");
        Console.WriteLine($"decide call (durable state + audit): {decide}");
        Console.WriteLine($"decision to waiter: {toWaiter}");
        var leftover = await cluster.GrainsInSilo.GetGrain<IApprovalInboxGrain>(BenchCluster.Tenant).List();
        await Measurement.RunAsync(leftover.Count, InFlight, i =>
            cluster.GrainsInSilo.GetGrain<IApprovalGrain>(leftover[i]).Decide(false, "bench-approver", "benchmark"));
        Console.WriteLine();
        Console.WriteLine($"approvals/s vs durable audit appends/s: {created.Rate / auditBaseline.Rate:0.00}x");
        Console.WriteLine($"decision-to-waiter p50/p99 vs plain read: {toWaiter.Percentile(50) / readBaseline.Latency.Percentile(50):0.00}x / " +
            $"{toWaiter.Percentile(99) / readBaseline.Latency.Percentile(99):0.00}x");
    }

    private static async Task<string> Open(Grains.Sessions.ISessionGrain session, byte[] payload)
    {
        var answer = await session.Authorize(new ActionRequest("stripe.charge", payload, "bench"));
        return answer?.ApprovalId ?? throw new InvalidOperationException($"the gate did not hold stripe.charge: {answer?.Decision}");
    }
}
