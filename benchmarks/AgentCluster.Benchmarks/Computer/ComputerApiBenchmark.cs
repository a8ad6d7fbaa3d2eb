using System.Diagnostics;
using AgentCluster.Benchmarks.Audit;
using AgentCluster.Client.Sdk;
using AgentCluster.ComputerProtocol;
using AgentCluster.Grains.Computer;
using AgentCluster.Grains.Fleet;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentCluster.Benchmarks.Computer;

/// <summary>
/// The computer API as an orchestrator sees it, on a desktop session of a real silo process, each
/// figure against a baseline on the same container in the same run: a 1280x800 screenshot through
/// the gRPC API against the same screenshot inside the container, and an action's round trip
/// through the gRPC API (gate, audit row, channel) against a bare channel round trip. The bare
/// channel is a second attach to the session's container; the two never have a request in flight
/// at once, so neither sees a reply it waits for that is the other's.
/// </summary>
internal static class ComputerApiBenchmark
{
    internal const string PageHtml = "<body style=\"margin:0;background:rgb(0,200,0)\"><h1>ready</h1></body>";
    internal const string Page = "data:text/html," + PageHtml;

    /// <summary>Then desktop start-up (<see cref="DesktopStartBenchmark"/>) and density (<see cref="DesktopDensityBenchmark"/>); false when a density deadline was missed.</summary>
    public static async Task<bool> RunAsync(string api, string adminKey, string endpoint, string image, int samples, int starts, int density, TimeSpan densityTtl,
        bool throughProxy, int pool)
    {
        using var admin = Connect(api, adminKey);
        await WaitForHealthyHostAsync(admin);
        var tenant = $"bench-{Guid.NewGuid():N}"[..16];
        await admin.Tenants.CreateAsync(new NewTenant(tenant) { AllowedImages = ["agentcluster/desktop:*"], MaxSessions = density + 4 });
        using var orchestrator = Connect(api, (await admin.Keys.CreateAsync(tenant, ["orchestrator"])).Secret);
        var session = await orchestrator.Sessions.CreateAsync(new NewSession(image, TimeSpan.FromMinutes(10)));
        if (session.State != SessionStates.Ready)
            throw new InvalidOperationException($"the desktop session is {session.State}: {session.Reason}");
        Console.WriteLine($"silo {api}, desktop session {session.Id} on {session.Host}, {samples} samples");
        try
        {
            var computer = orchestrator.Computer;
            await FirstPageAsync(computer, session.Id);
            using var engine = new DockerEngine(DockerEndpoint.Parse(endpoint, null), new FleetOptions(), NullLogger.Instance);
            await using var bare = new ComputerChannel(engine, session.ContainerId, ComputerChannel.DefaultTimeout, NullLogger.Instance);
            await ScreenshotsAsync(computer, session.Id, bare, samples);
            await RoundTripsAsync(computer, session.Id, bare, samples);
        }
        finally
        {
            await orchestrator.Sessions.KillAsync(session.Id, "benchmark over");
        }

        using var docker = new Docker.DotNet.DockerClientConfiguration(new Uri(endpoint)).CreateClient();
        await DesktopStartBenchmark.RunAsync(orchestrator, docker, image, starts, throughProxy, pool);
        return await DesktopDensityBenchmark.RunAsync(orchestrator, docker, image, density, densityTtl);
    }

    private static async Task ScreenshotsAsync(ComputerClient computer, string session, ComputerChannel bare, int samples)
    {
        var inside = new Latencies();
        var through = new Latencies();
        var bytes = 0;
        for (var i = 0; i < samples; i++)
        {
            var cost = await bare.SendAsync(new ComputerRequest { Action = ComputerActions.ScreenshotCost });
            inside.Add(TimeSpan.FromMicroseconds(cost.Result!.Microseconds!.Value));
            var one = Stopwatch.StartNew();
            bytes = (await computer.ScreenshotAsync(session)).Png.Length;
            through.Add(one.Elapsed);
        }
        Console.WriteLine($"screenshot 1280x800 PNG ({bytes / 1024} KiB), inside the container:  {inside}");
        Console.WriteLine($"screenshot 1280x800 PNG, through the gRPC API:        {through}   (goal under 25 ms at p50)");
        Console.WriteLine($"screenshot gRPC / inside: p50 {through.Percentile(50) / inside.Percentile(50):0.00}x, p99 {through.Percentile(99) / inside.Percentile(99):0.00}x");
    }

    private static async Task RoundTripsAsync(ComputerClient computer, string session, ComputerChannel bare, int samples)
    {
        var ping = new Latencies();
        var bareMove = new Latencies();
        var move = new Latencies();
        var click = new Latencies();
        for (var i = 0; i < samples; i++)
        {
            await Timed(ping, () => bare.SendAsync(new ComputerRequest { Action = ComputerActions.Ping }));
            await Timed(bareMove, () => bare.SendAsync(new ComputerRequest { Action = ComputerActions.MouseMove, X = 100 + (i % 500), Y = 300 }));
            await Timed(move, () => computer.ActAsync(session, ComputerInput.MouseMove(100 + (i % 500), 320)));
            await Timed(click, () => computer.ActAsync(session, ComputerInput.Click(600, 500)));
        }
        Console.WriteLine($"bare channel round trip (ping):                      {ping}");
        Console.WriteLine($"mouse_move over the bare channel:                    {bareMove}");
        Console.WriteLine($"mouse_move through the gRPC API:                     {move}   (goal under 10 ms at p50)");
        Console.WriteLine($"click through the gRPC API:                          {click}");
        Console.WriteLine($"action gRPC / bare ping: mouse_move p50 {move.Percentile(50) / ping.Percentile(50):0.00}x, click p50 {click.Percentile(50) / ping.Percentile(50):0.00}x, "
            + $"mouse_move gRPC / bare mouse_move p50 {move.Percentile(50) / bareMove.Percentile(50):0.00}x");
    }

    /// <summary>
    /// Navigates to a green page and looks at one pixel until it shows: a screenshot, then each time
    /// the pixel changes (the server watches it; a poll would see it a poll late, and each look
    /// through the API takes CPU from the browser it waits for).
    /// </summary>
    internal static async Task FirstPageAsync(ComputerClient computer, string session, bool navigate = true)
    {
        if (navigate)
            await computer.ActAsync(session, ComputerInput.Navigate(Page));
        // As an orchestrator would look: one pixel of the page, answered again as soon as it changes (no poll's lag).
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var pixel = new Client.Sdk.ScreenArea(600, 500, 1, 1);
        var shot = await computer.ScreenshotAsync(session, region: pixel);
        while (PngImage.Decode(shot.Png).Pixel(0, 0) != (0, 200, 0))
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException("the page did not show within 60 s");
            shot = await computer.ScreenshotWhenChangedAsync(session, shot, TimeSpan.FromSeconds(5), region: pixel);
        }
    }

    private static async Task WaitForHealthyHostAsync(AgentClusterConnection admin)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (!await AnyHealthyAsync(admin))
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException("the silo's Docker host did not become Healthy within 120 s");
            await Task.Delay(250);
        }
    }

    /// <summary>False too while the API does not answer yet: the admin key is written before the silo binds its port.</summary>
    private static async Task<bool> AnyHealthyAsync(AgentClusterConnection admin)
    {
        try
        {
            return (await admin.Hosts.ListAsync()).Any(h => h.Health == "Healthy");
        }
        catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.Unavailable)
        {
            return false;
        }
    }

    private static AgentClusterConnection Connect(string api, string key) =>
        AgentClusterConnection.Open(new AgentClusterConnectionOptions { Endpoint = new Uri(api), ApiKey = key });

    private static async Task Timed<T>(Latencies latencies, Func<Task<T>> call)
    {
        var one = Stopwatch.StartNew();
        await call();
        latencies.Add(one.Elapsed);
    }
}
