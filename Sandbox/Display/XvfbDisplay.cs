using System.Diagnostics;
using System.Globalization;
using AgentCluster.ComputerServer.Input;

namespace AgentCluster.ComputerServer.Display;

/// <summary>
/// Xvfb on display :1, its screen kept as an XWD file in <see cref="FramebufferDirectory"/>
/// (<c>-fbdir</c>) for <see cref="XwdFramebuffer"/> to map. It listens on no TCP port.
/// </summary>
internal sealed class XvfbDisplay : IAsyncDisposable
{
    public const string Name = ":1";

    private readonly Process _process;

    private XvfbDisplay(Process process, XConnection connection, XwdFramebuffer framebuffer)
    {
        _process = process;
        Connection = connection;
        Framebuffer = framebuffer;
    }

    public static string FramebufferDirectory => Path.Combine(Path.GetTempPath(), "xvfb");

    public XConnection Connection { get; }
    public XwdFramebuffer Framebuffer { get; }
    public Task Exited => _process.WaitForExitAsync();

    public static async Task<XvfbDisplay> StartAsync(int width, int height, CancellationToken ct)
    {
        Directory.CreateDirectory(FramebufferDirectory);
        var process = ChildProcess.Start("/usr/bin/Xvfb",
        [
            Name, "-screen", "0", string.Create(CultureInfo.InvariantCulture, $"{width}x{height}x24"),
            "-fbdir", FramebufferDirectory, "-nolisten", "tcp", "-noreset", "-dpi", "96",
        ], environment: new Dictionary<string, string>());
        try
        {
            var connection = await XConnection.OpenAsync(Name, TimeSpan.FromSeconds(15), ct);
            var framebuffer = XwdFramebuffer.Open(Path.Combine(FramebufferDirectory, "Xvfb_screen0"));
            return new XvfbDisplay(process, connection, framebuffer);
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Framebuffer.Dispose();
        Connection.Dispose();
        _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
