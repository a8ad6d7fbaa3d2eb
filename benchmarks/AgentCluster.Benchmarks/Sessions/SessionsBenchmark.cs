using AgentCluster.Benchmarks.Audit;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Sessions;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;

namespace AgentCluster.Benchmarks.Sessions;

/// <summary>
/// Sessions on one engine, in one run: create-to-Ready cold and from the warm pool against raw
/// docker create+start, deadline-to-gone kill latency, and a crowd of concurrent sessions that
/// must all die on time.
/// </summary>
internal static class SessionsBenchmark
{
    private const int PoolSize = 8;
    private const int InFlight = 8;
    private static readonly TimeSpan Missed = TimeSpan.FromSeconds(1);

    public static async Task RunAsync(string endpoint, string image, int samples, int concurrent, TimeSpan concurrentTtl)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), $"agentcluster-bench-{Guid.NewGuid():N}");
        using var docker = new DockerClientConfiguration(new Uri(endpoint)).CreateClient();
        await using var events = await EngineEvents.StartAsync(docker, image);
        var silo = await BenchSilo.StartAsync(endpoint, image, PoolSize, dataDir);
        try
        {
            var driver = new SessionDriver(silo.Services.GetRequiredService<IGrainFactory>(), image);
            await driver.SetUpAsync(PoolSize);
            var raw = new RawDocker(docker, silo.Services.GetRequiredService<SandboxContainerSpec>(), image);
            Console.WriteLine($"engine {endpoint}, image {image}, {Environment.ProcessorCount} cores, warm pool of {PoolSize}");

            var (rawLatency, cold) = await ColdAgainstRaw(driver, raw, samples);
            Console.WriteLine($"raw docker create+start (Docker.DotNet, same parameters): {rawLatency}");
            Console.WriteLine($"session create-to-Ready, cold:                          {cold}");
            var (pooled, claim) = await FromPool(driver, samples);
            Console.WriteLine($"session create-to-Ready, from the pool:                 {pooled}");
            Console.WriteLine($"  of which the host's claim (rename + unpause):         {claim}");
            var (signalled, died, gone) = await KillLatency(driver, events, samples, TimeSpan.FromMilliseconds(cold.Percentile(50)));
            Console.WriteLine($"kill, deadline to SIGKILL (kill event):                 {signalled}");
            Console.WriteLine($"kill, deadline to dead (die event):                     {died}");
            Console.WriteLine($"kill, deadline to removed (destroy event):              {gone}");
            var crowd = await Crowd(driver, events, concurrent, concurrentTtl);

            Console.WriteLine();
            Console.WriteLine($"cold / raw:   p50 {cold.Percentile(50) / rawLatency.Percentile(50):0.00}x, p99 {cold.Percentile(99) / rawLatency.Percentile(99):0.00}x   (goal: no more than 1.15x)");
            Console.WriteLine($"pooled / raw: p50 {pooled.Percentile(50) / rawLatency.Percentile(50):0.00}x, p99 {pooled.Percentile(99) / rawLatency.Percentile(99):0.00}x");
            Console.WriteLine($"goal pool claim under 50 ms p50:          {Verdict(pooled.Percentile(50) < 50)} ({pooled.Percentile(50):0.0} ms)");
            Console.WriteLine($"goal cold create no slower than 1.15x raw: {Verdict(cold.Percentile(50) <= 1.15 * rawLatency.Percentile(50))} (p50)");
            Console.WriteLine($"goal kill under 100 ms p99 after deadline: {Verdict(died.Percentile(99) < 100)} (dead: {died.Percentile(99):0.0} ms; removed: {gone.Percentile(99):0.0} ms)");
            Console.WriteLine($"goal {concurrent} concurrent sessions, no missed deadline: {Verdict(crowd)}");
        }
        finally
        {
            await silo.StopAsync();
            silo.Dispose();
            await RemoveLeftovers(docker);
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static string Verdict(bool met) => met ? "met" : "NOT met";

    /// <summary>Interleaved, so that both see the same engine: raw, cold, raw, cold...</summary>
    private static async Task<(Latencies Raw, Latencies Cold)> ColdAgainstRaw(SessionDriver driver, RawDocker raw, int samples)
    {
        var (rawLatency, cold) = (new Latencies(), new Latencies());
        for (var i = -3; i < samples; i++)
        {
            var baseline = await raw.CreateAndStartAsync();
            var (session, elapsed) = await driver.CreateAsync(warm: false, TimeSpan.FromMinutes(10));
            await driver.KillAsync(session);
            if (i < 0)
                continue; // warm-up: JIT, activations, the engine's caches
            rawLatency.Add(baseline);
            cold.Add(elapsed);
        }
        return (rawLatency, cold);
    }

    /// <summary>Each claim finds a full pool: the latency of a hit, not of a pool that ran dry.</summary>
    private static async Task<(Latencies Session, Latencies Claim)> FromPool(SessionDriver driver, int samples)
    {
        var (pooled, claims) = (new Latencies(), new Latencies());
        for (var i = 0; i < samples; i++)
        {
            await driver.PoolFull(PoolSize);
            var idle = (await driver.Warm.GetWarmPool()).Select(w => w.ContainerId).ToHashSet();
            var (session, elapsed) = await driver.CreateAsync(warm: true, TimeSpan.FromMinutes(10));
            if (!idle.Contains(session.ContainerId!))
                throw new InvalidOperationException($"session {session.Id} did not get a pooled container");
            pooled.Add(elapsed);
            await driver.KillAsync(session);

            await driver.PoolFull(PoolSize);
            var (launch, claimed) = await driver.ClaimAsync();
            if (!launch.Pooled)
                throw new InvalidOperationException($"the claim was not served from the pool: {launch}");
            claims.Add(claimed);
            await driver.Warm.Kill(launch.ContainerId!);
        }
        return (pooled, claims);
    }

    /// <summary>
    /// Sessions that run to their TTL, half pooled and half cold. Their deadlines come a quarter
    /// second apart and only after the last create, so each kill meets an otherwise quiet engine;
    /// the crowd measures kills under load.
    /// </summary>
    private static async Task<(Latencies Signalled, Latencies Died, Latencies Gone)> KillLatency(
        SessionDriver driver, EngineEvents events, int samples, TimeSpan createTime)
    {
        var spacing = TimeSpan.FromMilliseconds(250);
        var first = DateTimeOffset.UtcNow + 1.5 * samples * createTime + TimeSpan.FromSeconds(3);
        var sessions = new List<SessionInfo>();
        for (var i = 0; i < samples; i++)
            sessions.Add((await driver.CreateAsync(warm: i % 2 == 0, first + i * spacing - DateTimeOffset.UtcNow)).Session);
        if (DateTimeOffset.UtcNow > first)
            Console.WriteLine("  (the creates ran past the first deadline: some kills met a busy engine)");
        await WaitPast(sessions.Max(s => s.Deadline) + TimeSpan.FromSeconds(3));
        var (signalled, died, gone) = (new Latencies(), new Latencies(), new Latencies());
        foreach (var s in sessions)
        {
            signalled.Add(Late(events.Signalled(s.ContainerId!), s.Deadline));
            died.Add(Late(events.Died(s.ContainerId!), s.Deadline));
            gone.Add(Late(events.Destroyed(s.ContainerId!), s.Deadline));
        }
        return (signalled, died, gone);
    }

    /// <summary>
    /// Many sessions on the cold host, created {InFlight} at a time with one TTL, so that all run at
    /// once and then their deadlines come at the pace they were created. A miss is a container
    /// still alive more than a second after its deadline.
    /// </summary>
    private static async Task<bool> Crowd(SessionDriver driver, EngineEvents events, int count, TimeSpan ttl)
    {
        var started = DateTimeOffset.UtcNow;
        var sessions = new List<SessionInfo>();
        var failures = new List<string>();
        using var gate = new SemaphoreSlim(InFlight);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                var (session, _) = await driver.CreateAsync(warm: false, ttl);
                lock (sessions)
                    sessions.Add(session);
            }
            catch (Exception e)
            {
                lock (failures)
                    failures.Add(e.Message);
            }
            finally
            {
                gate.Release();
            }
        }));
        var created = DateTimeOffset.UtcNow;
        var firstDeadline = sessions.Min(s => s.Deadline);
        Console.WriteLine($"{count} concurrent sessions: {sessions.Count} Ready in {(created - started).TotalSeconds:0.0} s " +
            $"({sessions.Count / (created - started).TotalSeconds:0.0}/s, {InFlight} creates in flight), all alive together: {created < firstDeadline}" +
            (failures.Count > 0 ? $"; {failures.Count} failed, e.g. {failures[0]}" : ""));

        await WaitPast(sessions.Max(s => s.Deadline) + TimeSpan.FromSeconds(3));
        var (signalled, died) = (new Latencies(), new Latencies());
        var missed = 0;
        foreach (var s in sessions)
        {
            signalled.Add(Late(events.Signalled(s.ContainerId!), s.Deadline));
            var late = Late(events.Died(s.ContainerId!), s.Deadline);
            died.Add(late);
            if (late > Missed)
                missed++;
        }
        Console.WriteLine($"  deadlines over {(sessions.Max(s => s.Deadline) - firstDeadline).TotalSeconds:0.0} s; deadline to SIGKILL: {signalled}; to dead: {died};\n  " +
            $"alive more than {Missed.TotalSeconds:0} s after the deadline: {missed}");
        return failures.Count == 0 && missed == 0 && created < firstDeadline;
    }

    /// <summary>An event that never came counts as an hour late: a miss, and visible as one in the p99.</summary>
    private static TimeSpan Late(DateTimeOffset? at, DateTimeOffset deadline) => (at ?? deadline + TimeSpan.FromHours(1)) - deadline;

    private static async Task WaitPast(DateTimeOffset moment)
    {
        var wait = moment - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait);
    }

    /// <summary>The pool's idle containers (a silo leaves them at its stop) and anything a failure left.</summary>
    private static async Task RemoveLeftovers(IDockerClient docker)
    {
        var labelled = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [SandboxLabels.Session] = true } },
        });
        foreach (var c in labelled)
            await docker.Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true });
        Console.WriteLine($"removed {labelled.Count} leftover container(s) (the idle pool)");
    }
}
