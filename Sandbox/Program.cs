using AgentCluster.ComputerServer.Browser;
using AgentCluster.ComputerServer.Display;
using AgentCluster.ComputerServer.Input;
using AgentCluster.ComputerServer.Serving;

// The computer server: PID 2 of a desktop sandbox, under tini, as uid 1001. It starts Xvfb and
// Chromium and serves the computer protocol on stdin/stdout, which the silo reaches through the
// Docker Engine API (attach). It opens no socket. Diagnostics go to stderr.
const int width = 1280, height = 800;
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

await using var display = await XvfbDisplay.StartAsync(width, height, stop.Token);
await using var browser = new Chromium(width, height);
browser.Start();

var dispatcher = new ActionDispatcher(new ScreenCapture(display.Framebuffer), new XInput(display.Connection), new ProxyConfiguration());
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
