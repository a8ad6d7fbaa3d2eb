using AgentCluster.ComputerProtocol;
using AgentCluster.ComputerServer.Browser;
using AgentCluster.ComputerServer.Display;
using AgentCluster.ComputerServer.Egress;
using AgentCluster.ComputerServer.Input;
using AgentCluster.ComputerServer.Serving;

// The computer server: PID 2 of a desktop sandbox, under tini, as uid 1001. It starts Xvfb and
// Chromium and serves the computer protocol on stdin/stdout, which the silo reaches through the
// Docker Engine API (attach). It opens no socket. Diagnostics go to stderr.
const int width = DesktopScreen.Width, height = DesktopScreen.Height;
// A desktop has 1 CPU, so the thread pool starts with one thread, and reading stdin blocks a pool
// thread (a console stream has no asynchronous read). The pool then adds a thread only about once
// a second: measured, a cold desktop's first request waited 1 s for it. Threads enough for the
// reader, the requests in flight and the forwarder's connections from the start.
ThreadPool.GetMinThreads(out _, out var completionThreads);
ThreadPool.SetMinThreads(8, completionThreads);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

// The display and the proxy CA's NSS database are independent and the browser needs both: made
// side by side, since every cold start waits for the slower of the two.
var displayStarting = XvfbDisplay.StartAsync(width, height, stop.Token);
var trust = new ProxyTrust();
var trusted = TrustEnvironmentCaAsync(trust, stop.Token);
await using var display = await displayStarting;
await trusted;
// A cold launch's first page, checked by the silo; the browser opens it as it starts. A warm-pool
// desktop's browser waits on the waiting page for its claim's first page; any other starts blank.
var startUrl = Environment.GetEnvironmentVariable(Chromium.StartUrlVariable) is { Length: > 0 } page ? page : null;
if (startUrl is not null && !ActionDispatcher.Navigable(startUrl))
{
    await Console.Error.WriteLineAsync($"{Chromium.StartUrlVariable} is not an absolute URL without control characters: the browser starts blank");
    startUrl = null;
}
var waitingPage = new WaitingPage(shown: startUrl is null && Environment.GetEnvironmentVariable(ComputerRequest.WaitForClaimEnvironmentVariable) == "1");
// The browser's only way out; it refuses everything until the silo's configure brings the credential.
var proxy = new ProxyConfiguration();
await using var forwarder = new ProxyForwarder(proxy, waitingPage: waitingPage);
forwarder.Start();
await using var browser = new Chromium(width, height, startUrl ?? (waitingPage.IsOpen ? WaitingPage.Url : null), waitingPage.Close);
browser.Start();

var screen = new ScreenCapture(display.Framebuffer);
var dispatcher = new ActionDispatcher(screen, new ScreenChange(display.Framebuffer, screen), new XInput(display.Connection), proxy, trust, waitingPage, browser.Restart);
var server = new ComputerServer(Console.OpenStandardInput(), Console.OpenStandardOutput(), dispatcher.HandleAsync);
var served = server.RunAsync(stop.Token);

// The display is the computer: without it there is nothing to serve.
if (await Task.WhenAny(served, display.Exited) == display.Exited)
{
    await Console.Error.WriteLineAsync("Xvfb exited: the computer server stops");
    return 1;
}
await served;
return 0;

// The proxy CA is public and comes in the environment when the host knew it at creation.
static async Task TrustEnvironmentCaAsync(ProxyTrust trust, CancellationToken ct)
{
    if (Environment.GetEnvironmentVariable(ProxyTrust.EnvironmentVariable) is not { Length: > 0 } ca)
        return;
    try
    {
        await trust.InstallAsync(ca, ct);
    }
    catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
    {
        // The browser then trusts no interception until configure brings a CA it can use.
        await Console.Error.WriteLineAsync($"the proxy CA in {ProxyTrust.EnvironmentVariable} is not usable: {e.Message}");
    }
}
