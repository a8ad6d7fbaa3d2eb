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
/// navigate after the create, and as the create's start URL; with a proxy, also a start URL of an
/// HTTP page on loopback, through the session's egress proxy (a data: page never leaves the sandbox,
/// and a page may not open one, so a claim types it where it hands a web page to the waiting page).
/// </summary>
internal static class DesktopStartBenchmark
{
    /// <summary>Not the pool's (the default 2 GiB): such a session never fits a pooled container.</summary>
    private const long ColdMemoryBytes = 1536 * SandboxSpec.MiB;

    public static async Task RunAsync(AgentClusterConnection orchestrator, IDockerClient docker, string image, int samples, bool throughProxy, int pool)
    {
        var (pooled, pooledCreate, cold) = (new Latencies(), new Latencies(), new Latencies());
        var (pooledStart, coldStart, coldStartTwoCpus) = (new Latencies(), new Latencies(), new Latencies());
        var coldStartCreate = new Latencies();
        var (pooledWeb, pooledWebCreate, coldWeb) = (new Latencies(), new Latencies(), new Latencies());
        var pooledWebUpstream = new Latencies();
        var (browserClock, coldBrowserClock) = (new BrowserClock(), new BrowserClock());
        var (fromPool, claims) = (0, 0);
        var request = new NewSession(image, TimeSpan.FromMinutes(10));
        var opening = request with { StartUrl = ComputerApiBenchmark.Page };
        await using var page = new LoopbackPage();
        var web = request with { StartUrl = page.Url, AllowHosts = [page.Host] };
        if (throughProxy)
        {
            // Not counted: the silo and the proxy started moments ago, and the first request along each
            // of their paths pays for its compilation (measured, the first web page's answer came
            // 130-280 ms after its request in three runs, the later ones' 10-40 ms); a deployment that runs has paid it.
            await WaitForWarmAsync(docker, pool);
            var warmUp = await FirstPageAsync(orchestrator, docker, web, page);
            Console.WriteLine($"warm-up, not counted: a pooled desktop's web start URL to first page in {warmUp.FirstPage.TotalMilliseconds:0} ms");
        }
        for (var i = 0; i < samples; i++)
        {
            if (throughProxy)
            {
                await WaitForWarmAsync(docker, pool);
                var fromWeb = await FirstPageAsync(orchestrator, docker, web, page);
                pooledWeb.Add(fromWeb.FirstPage);
                pooledWebCreate.Add(fromWeb.Created);
                if (fromWeb.Upstream is { } upstream)
                    pooledWebUpstream.Add(upstream);
                browserClock.Add(fromWeb.Timing);
                (fromPool, claims) = (fromPool + (fromWeb.Pooled ? 1 : 0), claims + 1);
                await WaitForWarmAsync(docker, pool);
                var coldFromWeb = await FirstPageAsync(orchestrator, docker, web with { MemoryBytes = ColdMemoryBytes }, page);
                coldWeb.Add(coldFromWeb.FirstPage);
                coldBrowserClock.Add(coldFromWeb.Timing);
            }
            // The first page as a navigate after the create, then as the create's start URL; pooled and cold interleaved.
            await WaitForWarmAsync(docker, pool);
            var (created, firstPage, wasPooled, _, _) = await FirstPageAsync(orchestrator, docker, request);
            pooledCreate.Add(created);
            pooled.Add(firstPage);
            (fromPool, claims) = (fromPool + (wasPooled ? 1 : 0), claims + 1);
            await WaitForWarmAsync(docker, pool);
            cold.Add((await FirstPageAsync(orchestrator, docker, request with { MemoryBytes = ColdMemoryBytes })).FirstPage);
            await WaitForWarmAsync(docker, pool);
            var started = await FirstPageAsync(orchestrator, docker, opening);
            pooledStart.Add(started.FirstPage);
            (fromPool, claims) = (fromPool + (started.Pooled ? 1 : 0), claims + 1);
            await WaitForWarmAsync(docker, pool);
            var coldStarted = await FirstPageAsync(orchestrator, docker, opening with { MemoryBytes = ColdMemoryBytes });
            coldStart.Add(coldStarted.FirstPage);
            coldStartCreate.Add(coldStarted.Created);
            // A session of 1 CPU starts boosted to 2 (StartBoostOptions): against one whose own cap is 2 CPUs, the boost should cost nothing.
            await WaitForWarmAsync(docker, pool);
            coldStartTwoCpus.Add((await FirstPageAsync(orchestrator, docker,
                opening with { MemoryBytes = ColdMemoryBytes, NanoCpus = 2 * SandboxSpec.NanoCpusPerCpu })).FirstPage);
        }
        Console.WriteLine($"desktop create, then navigate, to first page through the API, cold:      {cold}");
        Console.WriteLine($"desktop create, then navigate, to first page through the API, warm pool: {pooled}");
        Console.WriteLine($"  of which the create (claim: rename, unpause, configure the proxy): {pooledCreate}");
        Console.WriteLine($"desktop create with a start URL to first page through the API, cold:      {coldStart}   (goal under 0.8 s at p50)");
        Console.WriteLine($"  of which the create (session, launch, the server's configure): {coldStartCreate}");
        Console.WriteLine($"desktop create with a start URL to first page through the API, cold, 2 CPUs of its own: {coldStartTwoCpus}");
        Console.WriteLine($"desktop create with a start URL to first page through the API, warm pool: {pooledStart}   (goal under 150 ms at p50)");
        if (throughProxy)
        {
            Console.WriteLine($"desktop create with a web start URL (HTTP on loopback, through the proxy) to first page, cold:      {coldWeb}");
            coldBrowserClock.Print();
            Console.WriteLine($"desktop create with a web start URL (HTTP on loopback, through the proxy) to first page, warm pool: {pooledWeb}   (goal under 150 ms at p50)");
            Console.WriteLine($"  of which the create (claim: rename, unpause, configure and the hand-off to the waiting page): {pooledWebCreate}");
            Console.WriteLine($"  from the create's call to the page's GET at its upstream (forwarder, proxy, loopback): {pooledWebUpstream}; the rest is the answer's way back, render and paint, and the look");
            browserClock.Print();
            Console.WriteLine($"  the page's upstream answered {page.Requests} requests; web start URL warm pool / cold: p50 {pooledWeb.Percentile(50) / coldWeb.Percentile(50):0.000}x, "
                + $"web / data: start URL from the warm pool: p50 {pooledWeb.Percentile(50) / pooledStart.Percentile(50):0.000}x");
        }
        Console.WriteLine($"  {fromPool} of {claims} warm-pool creates were served from the pool");
        Console.WriteLine($"first page warm pool / cold: navigate p50 {pooled.Percentile(50) / cold.Percentile(50):0.000}x, "
            + $"start URL p50 {pooledStart.Percentile(50) / coldStart.Percentile(50):0.000}x");
        Console.WriteLine($"first page with a start URL, cold, 1 CPU with the start-up boost / 2 CPUs of its own: p50 {coldStart.Percentile(50) / coldStartTwoCpus.Percentile(50):0.000}x");
        Console.WriteLine($"first page start URL / navigate: cold p50 {coldStart.Percentile(50) / cold.Percentile(50):0.000}x, "
            + $"warm pool p50 {pooledStart.Percentile(50) / pooled.Percentile(50):0.000}x");
    }

    private static async Task<(TimeSpan Created, TimeSpan FirstPage, bool Pooled, TimeSpan? Upstream, (double Call, PageTiming? Page) Timing)> FirstPageAsync(AgentClusterConnection orchestrator, IDockerClient docker,
        NewSession request, LoopbackPage? page = null)
    {
        var start = Stopwatch.GetTimestamp();
        var call = LoopbackPage.EpochMs();
        var clock = Stopwatch.StartNew();
        var session = await orchestrator.Sessions.CreateAsync(request);
        var created = clock.Elapsed;
        try
        {
            if (session.State != SessionStates.Ready)
                throw new InvalidOperationException($"the desktop session is {session.State}: {session.Reason}");
            try
            {
                await ComputerApiBenchmark.FirstPageAsync(orchestrator.Computer, session.Id, navigate: request.StartUrl is null);
            }
            catch (TimeoutException)
            {
                await DiagnoseAsync(orchestrator, docker, session.Id, session.ContainerId);
                throw;
            }
            var firstPage = clock.Elapsed;
            var labels = (await docker.Containers.InspectContainerAsync(session.ContainerId)).Config.Labels;
            // The browser reports its clock half a second after the page's load: waited for before the kill.
            var timing = page is null ? null : await page.TimingAfterAsync(call);
            return (created, firstPage, labels.ContainsKey(SandboxLabels.Pool), page?.FirstArrivalAfter(start), (call, timing));
        }
        finally
        {
            await orchestrator.Sessions.KillAsync(session.Id, "benchmark over");
        }
    }

    /// <summary>What a desktop whose page never showed looked like: its screen and its server's stderr, kept in the temp folder.</summary>
    private static async Task DiagnoseAsync(AgentClusterConnection orchestrator, IDockerClient docker, string session, string container)
    {
        var stem = Path.Combine(Path.GetTempPath(), $"agentcluster-bench-{session}");
        await File.WriteAllBytesAsync(stem + ".png", (await orchestrator.Computer.ScreenshotAsync(session)).Png.ToArray());
        try
        {
            // A desktop keeps no log (no log driver): what its server wrote is there only if the engine has a driver.
            using var logs = await docker.Containers.GetContainerLogsAsync(container, false,
                new ContainerLogsParameters { ShowStdout = false, ShowStderr = true });
            var (_, stderr) = await logs.ReadOutputToEndAsync(CancellationToken.None);
            await File.WriteAllTextAsync(stem + ".log", stderr);
        }
        catch (DockerApiException e)
        {
            await File.WriteAllTextAsync(stem + ".log", $"no log: {e.Message}");
        }
        await Console.Error.WriteLineAsync($"the page of {session} did not show: its screen and server log are {stem}.png and .log");
    }

    /// <summary>
    /// Until the engine holds the whole pool, paused: a claim, not a refill, is what is measured, and
    /// no sample runs beside the refill of the claim before it (on a 2-core host that is a second
    /// desktop starting at the same time, which a start on an idle host does not have).
    /// </summary>
    private static async Task WaitForWarmAsync(IDockerClient docker, int pool)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while ((await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                // The silo's one host is "local" (run-computer.sh): another's pool on a shared engine is not this one's.
                ["label"] = new Dictionary<string, bool> { [SandboxLabels.Pool + "=local"] = true },
                ["status"] = new Dictionary<string, bool> { ["paused"] = true },
            },
        })).Count < pool)
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"the pool did not hold {pool} paused desktops within 120 s");
            await Task.Delay(100);
        }
    }
}
