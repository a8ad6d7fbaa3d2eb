using System.Diagnostics;
using AgentCluster.Benchmarks.Audit;
using AgentCluster.ComputerProtocol;
using AgentCluster.Grains.Computer;
using AgentCluster.Grains.Fleet;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentCluster.Benchmarks.Computer;

/// <summary>
/// The desktop's computer server through the silo's channel (engine attach), each figure against
/// a baseline of the same run: a 1280x800 screenshot against the same screenshot taken inside the
/// container, an action's round trip against a bare ping, and a cold desktop's create to the
/// first screenshot of a rendered page against the same container's create+start.
/// </summary>
internal static class ComputerBenchmark
{
    private const string Page = ComputerApiBenchmark.Page;

    private static readonly (byte R, byte G, byte B) Green = (0, 200, 0);

    public static async Task RunAsync(string endpoint, string image, int samples, int cold)
    {
        var options = new FleetOptions();
        using var engine = new DockerEngine(DockerEndpoint.Parse(endpoint, null), options, NullLogger.Instance);
        await engine.EnsureNetworkAsync();
        var spec = new SandboxContainerSpec(options.NetworkName, SeccompProfile.Load(null), options.Limits);
        Console.WriteLine($"engine {endpoint}, image {image}, {Environment.ProcessorCount} cores, {samples} samples, {cold} cold starts");

        var (id, _) = await LaunchAsync(engine, spec, image);
        try
        {
            await using var channel = new ComputerChannel(engine, id, ComputerChannel.DefaultTimeout, NullLogger.Instance);
            await FirstPageAsync(channel);
            await WarmScreenshotsAsync(channel, samples);
            await RoundTripsAsync(channel, samples);
        }
        finally
        {
            await engine.KillAsync(id);
        }
        await ColdStartsAsync(engine, spec, image, cold);
    }

    private static async Task WarmScreenshotsAsync(ComputerChannel channel, int samples)
    {
        var inside = new Latencies();
        var through = new Latencies();
        var bytes = 0;
        for (var i = 0; i < samples; i++)
        {
            var cost = await channel.SendAsync(new ComputerRequest { Action = ComputerActions.ScreenshotCost });
            inside.Add(TimeSpan.FromMicroseconds(cost.Result!.Microseconds!.Value));
            var one = Stopwatch.StartNew();
            bytes = (await channel.SendAsync(new ComputerRequest { Action = ComputerActions.Screenshot })).Png!.Length;
            through.Add(one.Elapsed);
        }
        Console.WriteLine($"screenshot 1280x800 PNG ({bytes / 1024} KiB), inside the container:  {inside}");
        Console.WriteLine($"screenshot 1280x800 PNG, through the channel:        {through}");
        Console.WriteLine($"screenshot channel / inside: p50 {through.Percentile(50) / inside.Percentile(50):0.00}x, p99 {through.Percentile(99) / inside.Percentile(99):0.00}x");
    }

    private static async Task RoundTripsAsync(ComputerChannel channel, int samples)
    {
        var ping = new Latencies();
        var move = new Latencies();
        var click = new Latencies();
        for (var i = 0; i < samples; i++)
        {
            await Timed(ping, channel, new ComputerRequest { Action = ComputerActions.Ping });
            await Timed(move, channel, new ComputerRequest { Action = ComputerActions.MouseMove, X = 100 + (i % 500), Y = 300 });
            await Timed(click, channel, new ComputerRequest { Action = ComputerActions.Click, X = 600, Y = 500 });
        }
        Console.WriteLine($"bare channel round trip (ping):                      {ping}");
        Console.WriteLine($"mouse_move round trip:                               {move}");
        Console.WriteLine($"click round trip:                                    {click}");
        Console.WriteLine($"action / ping: mouse_move p50 {move.Percentile(50) / ping.Percentile(50):0.00}x, click p50 {click.Percentile(50) / ping.Percentile(50):0.00}x, p99 {click.Percentile(99) / ping.Percentile(99):0.00}x");
    }

    private static async Task ColdStartsAsync(DockerEngine engine, SandboxContainerSpec spec, string image, int cold)
    {
        var start = new Latencies();
        var firstPage = new Latencies();
        var (answers, window, navigated) = (new Latencies(), new Latencies(), new Latencies());
        var (opened, boosted) = (new Latencies(), new Latencies());
        // The fleet's desktops start boosted (StartBoostOptions): the same launch, its cap 2 CPUs while it starts.
        var options = new FleetOptions();
        var boosting = new SandboxContainerSpec(spec.NetworkName, SeccompProfile.Load(null), options.Limits, desktopBoostNanoCpus: options.DesktopStartBoost.NanoCpus);
        for (var i = 0; i < cold; i++)
        {
            boosted.Add(await OpenedAsync(engine, boosting, image));
            // The browser started on the page (the session's start URL), interleaved with a navigate after the start.
            opened.Add(await OpenedAsync(engine, spec, image));

            var clock = Stopwatch.StartNew();
            var (id, started) = await LaunchAsync(engine, spec, image);
            try
            {
                start.Add(started);
                await using var channel = new ComputerChannel(engine, id, ComputerChannel.DefaultTimeout, NullLogger.Instance);
                // Where the time goes, each step from the create: the server answers (Xvfb is up), the browser's window is there, the URL is in.
                await channel.SendAsync(new ComputerRequest { Action = ComputerActions.Ping });
                answers.Add(clock.Elapsed);
                await channel.WaitForBrowserAsync();
                window.Add(clock.Elapsed);
                await FirstPageAsync(channel, navigated, clock);
                firstPage.Add(clock.Elapsed);
            }
            finally
            {
                await engine.KillAsync(id);
            }
        }
        Console.WriteLine($"cold desktop: create+start (the launch alone):       {start}");
        Console.WriteLine($"cold desktop: create to the server's first answer:   {answers}");
        Console.WriteLine($"cold desktop: create to the browser's window:        {window}");
        Console.WriteLine($"cold desktop: create to the navigate's answer:       {navigated}");
        Console.WriteLine($"cold desktop: create to first screenshot of a page:  {firstPage}   (mark: 1.2 s; goal under 0.8 s at p50)");
        Console.WriteLine($"cold desktop: create with a start URL to first page: {opened}   (goal under 0.8 s at p50)");
        Console.WriteLine($"cold desktop: the same with the start-up boost:      {boosted}   (boosted / 1 CPU p50 {boosted.Percentile(50) / opened.Percentile(50):0.000}x)");
        Console.WriteLine($"cold first page / create+start: p50 {firstPage.Percentile(50) / start.Percentile(50):0.00}x; "
            + $"with a start URL {opened.Percentile(50) / start.Percentile(50):0.00}x; start URL / navigate p50 {opened.Percentile(50) / firstPage.Percentile(50):0.00}x");
    }

    /// <summary>A desktop launched with a start URL, to its page on the screen.</summary>
    private static async Task<TimeSpan> OpenedAsync(DockerEngine engine, SandboxContainerSpec spec, string image)
    {
        var opening = Stopwatch.StartNew();
        var (id, _) = await LaunchAsync(engine, spec, image, Page);
        try
        {
            await using var channel = new ComputerChannel(engine, id, ComputerChannel.DefaultTimeout, NullLogger.Instance);
            await WaitForPageAsync(channel);
            return opening.Elapsed;
        }
        finally
        {
            await engine.KillAsync(id);
        }
    }

    private static async Task<(string Id, TimeSpan Started)> LaunchAsync(DockerEngine engine, SandboxContainerSpec spec, string image, string? startUrl = null)
    {
        var now = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var desktop = SandboxSpec.CreateDesktop($"ses_bench{Guid.NewGuid():N}"[..21], "bench", image, now + TimeSpan.FromMinutes(10)) with { StartUrl = startUrl };
        var started = await engine.LaunchAsync(spec.Build(desktop, now));
        return (started.ContainerId, clock.Elapsed);
    }

    /// <summary>Navigates to a green page and takes screenshots until one shows it.</summary>
    private static async Task FirstPageAsync(ComputerChannel channel, Latencies? navigated = null, Stopwatch? clock = null)
    {
        await channel.SendAsync(new ComputerRequest { Action = ComputerActions.Navigate, Url = Page });
        if (clock is not null)
            navigated?.Add(clock.Elapsed);
        await WaitForPageAsync(channel);
    }

    /// <summary>A screenshot of one pixel, then again each time it changes, until it shows the page's green.</summary>
    private static async Task WaitForPageAsync(ComputerChannel channel)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var pixel = new ScreenRegion(600, 500, 1, 1);
        var shot = await channel.SendAsync(new ComputerRequest { Action = ComputerActions.Screenshot, Region = pixel });
        while (PngImage.Decode(shot.Png!).Pixel(0, 0) != Green)
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException("the page did not show within 30 s");
            shot = await channel.SendAsync(new ComputerRequest
            {
                Action = ComputerActions.Screenshot, Region = pixel, ChangedFrom = ScreenTag.Of(shot.Png), Milliseconds = 5000,
            });
        }
    }

    private static async Task Timed(Latencies latencies, ComputerChannel channel, ComputerRequest request)
    {
        var one = Stopwatch.StartNew();
        await channel.SendAsync(request);
        latencies.Add(one.Elapsed);
    }
}
