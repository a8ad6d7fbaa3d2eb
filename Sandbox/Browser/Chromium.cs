using AgentCluster.ComputerProtocol;
using System.Diagnostics;
using System.Globalization;
using AgentCluster.ComputerServer.Display;
using AgentCluster.ComputerServer.Egress;

namespace AgentCluster.ComputerServer.Browser;

/// <summary>
/// Debian's Chromium binary itself (not /usr/bin/chromium, whose wrapper and /etc/chromium.d
/// add API keys and extensions), with its own sandbox on, a fresh profile on the /tmp tmpfs and
/// the managed policies of the image. A browser that exits is started again. Its only way out is
/// the in-container forwarder to the session's egress proxy, loopback included.
/// </summary>
internal sealed class Chromium(int width, int height, string? startUrl = null, Action? restarted = null) : IAsyncDisposable
{
    public const string Binary = "/usr/lib/chromium/chromium";

    /// <summary>
    /// The session's first page, set by the silo when it launches a desktop cold: the browser starts on
    /// it, which saves the window's wait and a typed navigate. Public like the rest of the environment;
    /// the silo has checked it against the session's allowlist and gate.
    /// </summary>
    public const string StartUrlVariable = ComputerRequest.StartUrlEnvironmentVariable;

    /// <summary>
    /// Where the browser's own services are sent: a zone of the reserved <c>.invalid</c> TLD, which
    /// never resolves, and which the forwarder answers itself (<see cref="ProxyForwarder"/>).
    /// Chromium has no switch that stops its account list fetch (accounts.google.com, retried with
    /// backoff for the browser's life, sign-in off or not) or its on-demand component updates
    /// (update.googleapis.com, <c>--disable-component-update</c> or not); it does take their URLs.
    /// Left as they were, they went out through the session's egress (the browser's version and
    /// hardware to Google from the session's address, refused per session in its audit unless
    /// allowlisted), and a pooled desktop's, held in the forwarder until its claim, went at the very
    /// moment its first page did.
    /// </summary>
    public const string ServiceZone = ".chromium.invalid";

    /// <summary>True for a host in <see cref="ServiceZone"/> (any case, with or without the root's dot).</summary>
    public static bool IsServiceHost(string host) => host.TrimEnd('.').EndsWith(ServiceZone, StringComparison.OrdinalIgnoreCase);

    /// <summary>The address bar's middle row with the window at 0,0 and scale 1 (tab strip, then toolbar).</summary>
    public const int AddressBarY = 63;

    private readonly CancellationTokenSource _stop = new();
    private Task? _supervisor;
    private Process? _current;
    private volatile bool _restarting;

    public static string ProfileDirectory => Path.Combine(Path.GetTempPath(), "chromium");

    /// <summary>A home of its own on tmpfs: Chromium keeps its NSS database there.</summary>
    public static string HomeDirectory => Path.Combine(Path.GetTempPath(), "home");

    public void Start() => _supervisor = SuperviseAsync(_stop.Token);

    /// <summary>
    /// Ends the running browser so that a new one starts at once, with a fresh profile (on
    /// <paramref name="page"/>, or blank): Chromium reads its NSS database only when it starts.
    /// </summary>
    public void Restart(string? page = null)
    {
        startUrl = page;
        _restarting = true;
        try
        {
            _current?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had exited already: the supervisor starts the next one anyway.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_supervisor is not null)
            await _supervisor;
        _stop.Dispose();
    }

    private async Task SuperviseAsync(CancellationToken ct)
    {
        for (var first = true; !ct.IsCancellationRequested; first = false)
        {
            // A browser started again is not on its first page (the waiting page's hand-off then has no one to take it).
            if (!first)
                restarted?.Invoke();
            if (Directory.Exists(ProfileDirectory))
                Directory.Delete(ProfileDirectory, recursive: true);
            Directory.CreateDirectory(ProfileDirectory);
            Directory.CreateDirectory(HomeDirectory);
            // The first page only on the first start: a browser started again opens blank.
            using var process = ChildProcess.Start(Binary, Arguments(startUrl ?? "about:blank"), Environment());
            startUrl = null;
            _current = process;
            try
            {
                await process.WaitForExitAsync(ct);
                if (_restarting)
                {
                    _restarting = false;
                    continue;
                }
                await Console.Error.WriteLineAsync($"chromium exited with code {process.ExitCode}; starting it again");
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    private IEnumerable<string> Arguments(string page) =>
    [
        "--user-data-dir=" + ProfileDirectory,
        "--disk-cache-dir=/home/agent/.cache/chromium",
        string.Create(CultureInfo.InvariantCulture, $"--window-size={width},{height}"),
        "--window-position=0,0",
        "--force-device-scale-factor=1",
        "--ozone-platform=x11",
        // No GPU here (and no Mesa in the image): Skia draws on the CPU.
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--password-store=basic",
        // Every request through the session's proxy, by way of the forwarder that adds its
        // credential; <-loopback> takes back Chromium's implicit exemption of localhost.
        "--proxy-server=" + ProxyForwarder.Address,
        "--proxy-bypass-list=<-loopback>",
        // Nothing calls home: the session's egress is for the agent's work.
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-breakpad",
        "--gaia-url=https://accounts" + ServiceZone + "/",
        "--component-updater=url-source=http://updates" + ServiceZone + "/service/update2/json",
        // Start-up work nothing here needs: measured in a desktop container (five interleaved pairs on
        // the loaded 2-core machine), the blank page was drawn at p50 1.12 s from the container's
        // start with these (and no spare renderer) against 1.57 s without. The spare renderer
        // stays: without it the first navigate waits for a renderer to start (warm pool's first
        // page p50 517 ms, of which the claim 125 ms), and a pooled desktop has it ready.
        "--disable-default-apps",
        "--disable-sync",
        "--no-pings",
        "--disable-client-side-phishing-detection",
        "--disable-component-extensions-with-background-pages",
        "--disable-features=Translate,MediaRouter,OptimizationHints,DialMediaRouteProvider,BackForwardCache,"
            + "AutofillServerCommunication,CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions,"
            + "MediaEngagementBypassAutoplayPolicies,GlobalMediaControls",
        "--noerrdialogs",
        "--hide-crash-restore-bubble",
        // After "--": a URL, never a switch, whatever it starts with.
        "--",
        page,
    ];

    private static Dictionary<string, string> Environment() => new()
    {
        ["DISPLAY"] = XvfbDisplay.Name,
        ["HOME"] = HomeDirectory,
        ["XDG_CACHE_HOME"] = "/home/agent/.cache",
        ["XDG_CONFIG_HOME"] = Path.Combine(HomeDirectory, ".config"),
        // No session bus in the sandbox: say so instead of letting it look for one.
        ["DBUS_SESSION_BUS_ADDRESS"] = "disabled:",
    };
}
