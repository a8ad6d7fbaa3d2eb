using System.Diagnostics;
using System.Text.Json;
using AgentCluster.ComputerServer.Browser;
using AgentCluster.ComputerServer.Display;
using AgentCluster.ComputerServer.Egress;
using AgentCluster.ComputerServer.Input;
using AgentCluster.ComputerProtocol;

namespace AgentCluster.ComputerServer.Serving;

/// <summary>
/// Carries out one request. Arguments out of range are an <see cref="ArgumentException"/>
/// (answered as bad_request); nothing is done for a request that fails its checks.
/// </summary>
internal sealed class ActionDispatcher(
    ScreenCapture screen, ScreenChange change, XInput input, ProxyConfiguration proxy, ProxyTrust trust, WaitingPage waitingPage, Action<string?> restartBrowser)
{
    public const int MaxWaitMilliseconds = 60_000;
    public const int MaxScrollSteps = 100;

    public async Task<(FrameType Type, byte[] Payload)> HandleAsync(ComputerRequest request, CancellationToken ct)
    {
        if (request.Action == ComputerActions.Screenshot)
        {
            var region = CheckRegion(request.Region);
            var scale = request.Scale ?? 1;
            if (!(scale > 0 && scale <= 1))
                throw new ArgumentException($"scale {scale} is outside (0, 1]");
            if (request.ChangedFrom is not { } tag)
                return (FrameType.Image, screen.Png(region, scale));
            if (!ScreenTag.IsTag(tag))
                throw new ArgumentException($"changed_from is not a screenshot's tag ({ScreenTag.Length} lowercase hex digits)");
            var wait = Required(request.Milliseconds, "milliseconds");
            if (wait is < 0 or > MaxWaitMilliseconds)
                throw new ArgumentException($"a wait for a change of {wait} ms is outside 0-{MaxWaitMilliseconds} ms");
            return (FrameType.Image, await change.WaitAsync(region, scale, tag, TimeSpan.FromMilliseconds(wait), ct));
        }
        if (request.Action == ComputerActions.ScreenshotCost)
        {
            var started = Stopwatch.GetTimestamp();
            screen.Png(null, 1);
            var cost = new ComputerResult { Microseconds = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds };
            return (FrameType.Result, JsonSerializer.SerializeToUtf8Bytes(cost, ProtocolJson.Default.ComputerResult));
        }

        // Input of the agent's own may take the browser anywhere (a typed URL, a new tab): from then
        // on the waiting page's hand-off could only reach a page that is not the waiting page.
        if (request.Action is ComputerActions.Click or ComputerActions.Drag or ComputerActions.Scroll or ComputerActions.Type or ComputerActions.Key)
            waitingPage.Close();
        var (x, y) = request.Action switch
        {
            ComputerActions.MouseMove => await input.MoveAsync(CheckX(Required(request.X, "x")), CheckY(Required(request.Y, "y")), ct),
            ComputerActions.Click => await input.ClickAsync(OptionalX(request), OptionalY(request), request.Button ?? "left", ct),
            ComputerActions.Drag => await input.DragAsync(CheckX(Required(request.X, "x")), CheckY(Required(request.Y, "y")),
                CheckX(Required(request.ToX, "to_x")), CheckY(Required(request.ToY, "to_y")), ct),
            ComputerActions.Scroll => await input.ScrollAsync(OptionalX(request), OptionalY(request),
                Steps(request.ScrollX), Steps(request.ScrollY), ct),
            ComputerActions.Type => await input.TypeAsync(Required(request.Text, "text"), ct),
            ComputerActions.Key => await input.KeyAsync(KeyNames.Parse(Required(request.Keys, "keys"), out var error)
                ?? throw new ArgumentException(error), ct),
            ComputerActions.CursorPosition => await input.CursorAsync(ct),
            ComputerActions.Wait => await WaitAsync(request.Milliseconds ?? 1000, ct),
            ComputerActions.Navigate => await NavigateAsync(Required(request.Url, "url"), ct),
            ComputerActions.Ping => (-1, -1),
            ComputerActions.Configure => await ConfigureAsync(Required(request.Proxy, "proxy"), request.Url, ct),
            ComputerActions.Ready => await ReadyAsync(ct),
            _ => throw new ArgumentException($"unknown action '{request.Action}'"),
        };
        var result = x < 0 ? new ComputerResult() : new ComputerResult { X = x, Y = y };
        return (FrameType.Result, JsonSerializer.SerializeToUtf8Bytes(result, ProtocolJson.Default.ComputerResult));
    }

    private async Task<(int, int)> WaitAsync(int milliseconds, CancellationToken ct)
    {
        if (milliseconds is < 0 or > MaxWaitMilliseconds)
            throw new ArgumentException($"wait of {milliseconds} ms is outside 0-{MaxWaitMilliseconds} ms");
        await Task.Delay(milliseconds, ct);
        return await input.CursorAsync(ct);
    }

    /// <summary>
    /// Through the address bar, as a person would: click into it, select all, type, drop any
    /// inline completion, Enter; then the pointer goes back where it was. A click, not ctrl+L:
    /// Chromium sends keys to the page first, so the start of a URL typed right after ctrl+L lands
    /// in the page; a click on the browser's own bar takes the focus in the order of the events.
    /// No DevTools port or pipe is open for anyone to find. A browser still on its
    /// <see cref="WaitingPage"/> (a claimed desktop's first page) is handed the URL instead.
    /// </summary>
    private async Task<(int, int)> NavigateAsync(string url, CancellationToken ct)
    {
        if (!Navigable(url))
            throw new ArgumentException("url must be an absolute URL without control characters");
        if (waitingPage.TryHandOff(url))
            return await input.CursorAsync(ct);
        waitingPage.Close();
        await input.WaitForWindowAsync(screen.Width, screen.Height, ComputerRequest.BrowserWindowPatience, ct);
        var (x, y) = await input.CursorAsync(ct);
        await input.ClickAsync(screen.Width / 2, Chromium.AddressBarY, "left", ct);
        await input.KeyAsync(["Control_L", "a"], ct);
        await input.TypeAsync(url, ct);
        await input.KeyAsync(["Delete"], ct);
        await input.KeyAsync(["Return"], ct);
        return await input.MoveAsync(x, y, ct);
    }

    /// <summary>What the server hands the browser as a URL; the silo has checked the rest (scheme, host, allowlist, gate).</summary>
    public static bool Navigable(string url) => Uri.TryCreate(url, UriKind.Absolute, out _) && !url.Any(char.IsControl);

    /// <summary>
    /// The window, then its first frame: a mapped window shows a grey background until the blank
    /// page (the browser's start page, white) is drawn, and a desktop paused before that would
    /// show grey at its claim. Then, on the waiting page, its wait for the first page.
    /// </summary>
    private async Task<(int, int)> ReadyAsync(CancellationToken ct)
    {
        var until = DateTime.UtcNow + ComputerRequest.BrowserWindowPatience;
        await input.WaitForWindowAsync(screen.Width, screen.Height, ComputerRequest.BrowserWindowPatience, ct);
        while (screen.Pixel(DesktopScreen.BlankX, DesktopScreen.BlankY) != (255, 255, 255))
        {
            if (DateTime.UtcNow > until)
                throw new InvalidOperationException($"the browser's blank page was not drawn within {ComputerRequest.BrowserWindowPatience.TotalSeconds:0} s");
            await Task.Delay(10, ct);
        }
        if (waitingPage.IsOpen)
        {
            try
            {
                await waitingPage.Listening.WaitAsync(until - DateTime.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero, ct);
            }
            catch (TimeoutException)
            {
                throw new InvalidOperationException($"the browser's waiting page did not listen within {ComputerRequest.BrowserWindowPatience.TotalSeconds:0} s");
            }
        }
        return (-1, -1);
    }

    /// <summary>
    /// The session's proxy for the forwarder, its CA for the browser, and (a claimed desktop's) first
    /// page: a CA the browser did not trust yet means a new browser, since Chromium reads its NSS
    /// database only at start, and that browser starts on the page.
    /// </summary>
    private async Task<(int, int)> ConfigureAsync(ProxySettings settings, string? firstPage, CancellationToken ct)
    {
        ProxyConfiguration.Check(settings);
        if (firstPage is not null && !Navigable(firstPage))
            throw new ArgumentException("url must be an absolute URL without control characters");
        var newCa = settings.CaCertificatePem is { } ca && await trust.InstallAsync(ca, ct);
        proxy.Set(settings);
        if (newCa)
        {
            waitingPage.Close();
            restartBrowser(firstPage);
        }
        else if (firstPage is not null)
            await NavigateAsync(firstPage, ct);
        else
            waitingPage.Claimed();
        return (-1, -1);
    }

    private ScreenRegion? CheckRegion(ScreenRegion? r)
    {
        if (r is null)
            return null;
        if (r.X < 0 || r.Y < 0 || r.Width <= 0 || r.Height <= 0 || r.X + r.Width > screen.Width || r.Y + r.Height > screen.Height)
            throw new ArgumentException($"region {r.X},{r.Y} {r.Width}x{r.Height} is not inside the {screen.Width}x{screen.Height} screen");
        return r;
    }

    private int? OptionalX(ComputerRequest r) => r.X is null && r.Y is null ? null : CheckX(Required(r.X, "x"));
    private int? OptionalY(ComputerRequest r) => r.X is null && r.Y is null ? null : CheckY(Required(r.Y, "y"));

    private int CheckX(int x) => x >= 0 && x < screen.Width ? x : throw new ArgumentException($"x {x} is off the screen (0-{screen.Width - 1})");
    private int CheckY(int y) => y >= 0 && y < screen.Height ? y : throw new ArgumentException($"y {y} is off the screen (0-{screen.Height - 1})");

    private static int Steps(int? steps) => steps is null or (>= -MaxScrollSteps and <= MaxScrollSteps)
        ? steps ?? 0
        : throw new ArgumentException($"scroll of {steps} steps is outside -{MaxScrollSteps}-{MaxScrollSteps}");

    private static T Required<T>(T? value, string name) where T : class =>
        value ?? throw new ArgumentException($"{name} is required");

    private static int Required(int? value, string name) =>
        value ?? throw new ArgumentException($"{name} is required");
}
