using System.Diagnostics;
using AgentCluster.Benchmarks.Audit;
using AgentCluster.Client.Sdk;
using AgentCluster.Grains.Fleet;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace AgentCluster.Benchmarks.Computer;

/// <summary>
/// A desktop session's create to the first screenshot of a rendered page through the gRPC API, as
/// an orchestrator sees it: from the host's warm pool, against a cold one in the same run (a memory
/// limit the pool was not made with, so the same silo launches it cold); the page opened by a
/// navigate after the create, and as the create's start URL.
/// </summary>
internal static class DesktopStartBenchmark
{
    /// <summary>Not the pool's (the default 2 GiB): such a session never fits a pooled container.</summary>
    private const long ColdMemoryBytes = 1536 * SandboxSpec.MiB;

    public static async Task RunAsync(AgentClusterConnection orchestrator, IDockerClient docker, string image, int samples)
    {
        var (pooled, pooledCreate, cold) = (new Latencies(), new Latencies(), new Latencies());
        var (pooledStart, coldStart, coldStartTwoCpus) = (new Latencies(), new Latencies(), new Latencies());
        var fromPool = 0;
        var request = new NewSession(image, TimeSpan.FromMinutes(10));
        var opening = request with { StartUrl = ComputerApiBenchmark.Page };
        for (var i = 0; i < samples; i++)
        {
            // The first page as a navigate after the create, then as the create's start URL; pooled and cold interleaved.
            await WaitForWarmAsync(docker);
            var (created, firstPage, wasPooled) = await FirstPageAsync(orchestrator, docker, request);
            pooledCreate.Add(created);
            pooled.Add(firstPage);
            fromPool += wasPooled ? 1 : 0;
            cold.Add((await FirstPageAsync(orchestrator, docker, request with { MemoryBytes = ColdMemoryBytes })).FirstPage);
            await WaitForWarmAsync(docker);
            var started = await FirstPageAsync(orchestrator, docker, opening);
            pooledStart.Add(started.FirstPage);
            fromPool += started.Pooled ? 1 : 0;
            coldStart.Add((await FirstPageAsync(orchestrator, docker, opening with { MemoryBytes = ColdMemoryBytes })).FirstPage);
            // A browser is many processes: what a second CPU (the default tenant's maximum) does for its start.
            coldStartTwoCpus.Add((await FirstPageAsync(orchestrator, docker,
                opening with { MemoryBytes = ColdMemoryBytes, NanoCpus = 2 * SandboxSpec.NanoCpusPerCpu })).FirstPage);
        }
        Console.WriteLine($"desktop create, then navigate, to first page through the API, cold:      {cold}");
        Console.WriteLine($"desktop create, then navigate, to first page through the API, warm pool: {pooled}");
        Console.WriteLine($"  of which the create (claim: rename, unpause, configure the proxy): {pooledCreate}");
        Console.WriteLine($"desktop create with a start URL to first page through the API, cold:      {coldStart}   (goal under 0.8 s at p50)");
        Console.WriteLine($"desktop create with a start URL to first page through the API, cold, 2 CPUs: {coldStartTwoCpus}");
        Console.WriteLine($"desktop create with a start URL to first page through the API, warm pool: {pooledStart}   (goal under 150 ms at p50)");
        Console.WriteLine($"  {fromPool} of {2 * samples} warm-pool creates were served from the pool");
        Console.WriteLine($"first page warm pool / cold: navigate p50 {pooled.Percentile(50) / cold.Percentile(50):0.000}x, "
            + $"start URL p50 {pooledStart.Percentile(50) / coldStart.Percentile(50):0.000}x");
        Console.WriteLine($"first page with a start URL, cold 2 CPUs / 1 CPU: p50 {coldStartTwoCpus.Percentile(50) / coldStart.Percentile(50):0.000}x");
        Console.WriteLine($"first page start URL / navigate: cold p50 {coldStart.Percentile(50) / cold.Percentile(50):0.000}x, "
            + $"warm pool p50 {pooledStart.Percentile(50) / pooled.Percentile(50):0.000}x");
    }

    private static async Task<(TimeSpan Created, TimeSpan FirstPage, bool Pooled)> FirstPageAsync(AgentClusterConnection orchestrator, IDockerClient docker, NewSession request)
    {
        var clock = Stopwatch.StartNew();
        var session = await orchestrator.Sessions.CreateAsync(request);
        var created = clock.Elapsed;
        try
        {
            if (session.State != SessionStates.Ready)
                throw new InvalidOperationException($"the desktop session is {session.State}: {session.Reason}");
            await ComputerApiBenchmark.FirstPageAsync(orchestrator.Computer, session.Id, navigate: request.StartUrl is null);
            var firstPage = clock.Elapsed;
            var labels = (await docker.Containers.InspectContainerAsync(session.ContainerId)).Config.Labels;
            return (created, firstPage, labels.ContainsKey(SandboxLabels.Pool));
        }
        finally
        {
            await orchestrator.Sessions.KillAsync(session.Id, "benchmark over");
        }
    }

    /// <summary>Until the engine holds a paused pool container: a claim, not a refill, is what is measured.</summary>
    private static async Task WaitForWarmAsync(IDockerClient docker)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while ((await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [SandboxLabels.Pool] = true },
                ["status"] = new Dictionary<string, bool> { ["paused"] = true },
            },
        })).Count == 0)
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException("no warm desktop in the pool within 120 s");
            await Task.Delay(100);
        }
    }
}
