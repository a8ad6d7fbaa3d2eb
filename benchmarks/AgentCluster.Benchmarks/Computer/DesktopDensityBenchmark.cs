using AgentCluster.Benchmarks.Sessions;
using AgentCluster.Client.Sdk;
using Docker.DotNet;

namespace AgentCluster.Benchmarks.Computer;

/// <summary>
/// How many desktop sessions one host holds with their deadlines kept: N sessions with a short TTL
/// through the gRPC API, all alive together, each one's idle memory read from its cgroup, then the
/// lateness of each kill (deadline to the engine's `die` event) against the 1 s bound.
/// </summary>
internal static class DesktopDensityBenchmark
{
    private const int InFlight = 4;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);
    /// <summary>How long the browsers get to finish starting before their memory counts as idle (less when the first deadline is nearer).</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    public static async Task<bool> RunAsync(AgentClusterConnection orchestrator, IDockerClient docker, string image, int count, TimeSpan ttl)
    {
        await using var events = await EngineEvents.StartAsync(docker, image);
        var sessions = new List<SessionInfo>();
        var failures = new List<string>();
        using var gate = new SemaphoreSlim(InFlight);
        var started = DateTimeOffset.UtcNow;
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                var s = await orchestrator.Sessions.CreateAsync(new NewSession(image, ttl));
                lock (sessions)
                {
                    if (s.State == SessionStates.Ready)
                        sessions.Add(s);
                    else
                        failures.Add($"{s.State}: {s.Reason}");
                }
            }
            catch (Exception e)
            {
                lock (sessions)
                    failures.Add(e.Message);
            }
            finally
            {
                gate.Release();
            }
        }));
        var allUp = DateTimeOffset.UtcNow;
        var firstDeadline = sessions.Count == 0 ? allUp : sessions.Min(s => s.Deadline!.Value);
        Console.WriteLine($"{count} desktop sessions (TTL {ttl.TotalSeconds:0} s): {sessions.Count} Ready in {(allUp - started).TotalSeconds:0.0} s, "
            + $"all alive together: {allUp < firstDeadline}" + (failures.Count > 0 ? $"; {failures.Count} failed, e.g. {failures[0]}" : ""));

        var settle = firstDeadline - DateTimeOffset.UtcNow - TimeSpan.FromSeconds(10);
        await Task.Delay(settle > Settle ? Settle : settle > TimeSpan.Zero ? settle : TimeSpan.Zero);
        var memory = new List<(double Current, double Anon)>();
        foreach (var s in sessions)
        {
            if (await CgroupMemory.ReadAsync(docker, s.ContainerId) is { } m)
                memory.Add(m);
        }
        var hostMiB = CgroupMemory.HostTotalMiB();
        if (memory.Count == 0)
            Console.WriteLine("idle memory: no desktop's cgroup could be read here (the engine is not on this machine?)");
        else
        {
            var current = memory.Select(m => m.Current).Order().ToList();
            var anon = memory.Select(m => m.Anon).Order().ToList();
            var total = current.Sum();
            Console.WriteLine($"idle memory of a desktop session (its memory cgroup's usage), {memory.Count} sessions: p50 {At(current, 50):0} MiB, "
                + $"max {current[^1]:0} MiB (anonymous/rss p50 {At(anon, 50):0} MiB); all {total / 1024:0.0} GiB of the host's {hostMiB / 1024:0.0} GiB");
            Console.WriteLine($"desktop idle memory / host memory: p50 {At(current, 50) / hostMiB:0.0000}x: {hostMiB / At(current, 50):0} fit by memory");
        }

        await Task.Delay(Later(sessions.Select(s => s.Deadline!.Value).DefaultIfEmpty(DateTimeOffset.UtcNow).Max() + TimeSpan.FromSeconds(3)));
        var lateness = sessions.Select(s => ((events.Died(s.ContainerId) ?? s.Deadline!.Value + TimeSpan.FromHours(1)) - s.Deadline!.Value).TotalMilliseconds).Order().ToList();
        var missed = lateness.Count(l => l > Bound.TotalMilliseconds);
        if (lateness.Count > 0)
        {
            Console.WriteLine($"deadline to dead over {sessions.Count} desktops: p50 {At(lateness, 50):0} ms, p99 {At(lateness, 99):0} ms, max {lateness[^1]:0} ms; "
                + $"more than {Bound.TotalSeconds:0} s late: {missed}");
            Console.WriteLine($"desktop kill lateness / 1 s bound: p99 {At(lateness, 99) / Bound.TotalMilliseconds:0.000}x, max {lateness[^1] / Bound.TotalMilliseconds:0.000}x");
        }
        return failures.Count == 0 && missed == 0 && allUp < firstDeadline;
    }

    private static double At(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p / 100 * sorted.Count) - 1)];

    private static TimeSpan Later(DateTimeOffset moment) => moment > DateTimeOffset.UtcNow ? moment - DateTimeOffset.UtcNow : TimeSpan.Zero;
}
