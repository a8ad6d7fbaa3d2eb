using AgentCluster.ComputerProtocol;
using AgentCluster.Grains.Computer;
using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Integration.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentCluster.Tests.Integration.Grains.Computer;

/// <summary>
/// One desktop sandbox on the first test engine, made exactly as the fleet makes a desktop
/// session's container (SandboxContainerSpec, the engine's launch checks), and a channel to its
/// computer server. Disposal removes the container.
/// </summary>
public sealed class DesktopContainer : IAsyncLifetime
{
    public const string ImageVariable = "AGENTCLUSTER_TEST_DESKTOP_IMAGE";
    public const int Width = 1280, Height = 800;

    private readonly FleetOptions _options = new();

    public string Image { get; } = Environment.GetEnvironmentVariable(ImageVariable) is { Length: > 0 } image
        ? image
        : throw new InvalidOperationException($"{ImageVariable} is not set: ./build.sh test builds the desktop image and sets it");

    public string Endpoint { get; } = DockerHosts.Endpoints[0];
    public DockerEngine Engine { get; private set; } = null!;
    public string ContainerId { get; private set; } = "";
    public ComputerChannel Channel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Engine = new DockerEngine(DockerEndpoint.Parse(Endpoint, null), _options, NullLogger.Instance);
        await Engine.EnsureNetworkAsync();
        var now = DateTimeOffset.UtcNow;
        var spec = SandboxSpec.CreateDesktop($"ses_desk{Guid.NewGuid():N}"[..20], "it-tenant", Image, now + TimeSpan.FromMinutes(15));
        var parameters = new SandboxContainerSpec(_options.NetworkName, SeccompProfile.Load(null), _options.Limits).Build(spec, now);
        ContainerId = (await Engine.LaunchAsync(parameters)).ContainerId;
        Channel = NewChannel(ComputerChannel.DefaultTimeout);
        // Answered once Xvfb is up; the request waits in the container's stdin until then.
        await Send(new ComputerRequest { Action = ComputerActions.Ping });
    }

    public ComputerChannel NewChannel(TimeSpan timeout) => new(Engine, ContainerId, timeout, NullLogger.Instance);

    public async Task DisposeAsync()
    {
        try
        {
            if (Channel is not null)
                await Channel.DisposeAsync();
        }
        finally
        {
            if (ContainerId.Length > 0)
                await Engine.KillAsync(ContainerId);
            Engine?.Dispose();
        }
    }

    public Task<ComputerReply> Send(ComputerRequest request) => Channel.SendAsync(request);

    public async Task<PngImage> Screenshot(double? scale = null, ScreenRegion? region = null)
    {
        var reply = await Send(new ComputerRequest { Action = ComputerActions.Screenshot, Scale = scale, Region = region });
        return PngImage.Decode(reply.Png ?? throw new InvalidOperationException("a screenshot came back without a PNG"));
    }

    /// <summary>Opens a page given as HTML (no '#', no newline) in the browser, through its address bar.</summary>
    public Task Open(string html) => Send(new ComputerRequest { Action = ComputerActions.Navigate, Url = "data:text/html," + html });

    /// <summary>Waits until the screen shows <paramref name="colour"/> at a point and holds still (<see cref="ScreenWait"/>).</summary>
    public Task<PngImage> WaitForColour(int x, int y, (byte R, byte G, byte B) colour, string what) =>
        ScreenWait.ForColour(async () => (await Send(new ComputerRequest { Action = ComputerActions.Screenshot })).Png
            ?? throw new InvalidOperationException("a screenshot came back without a PNG"), x, y, colour, what);

    public static bool Near((byte R, byte G, byte B) a, (byte R, byte G, byte B) b) =>
        Math.Abs(a.R - b.R) <= 3 && Math.Abs(a.G - b.G) <= 3 && Math.Abs(a.B - b.B) <= 3;

    /// <summary>Where the page starts on the screen: the first row, down the middle, in its background colour.</summary>
    public static int PageTop(PngImage shot, (byte R, byte G, byte B) background)
    {
        // The highest row over three columns: the address bar's dropdown, still closing just after a
        // navigate, can hide the top of the page's middle (it spans x 115-1200), never its edges.
        var top = int.MaxValue;
        foreach (var x in new[] { 4, shot.Width / 2, shot.Width - 4 })
        {
            for (var y = 0; y < Math.Min(top, shot.Height); y++)
            {
                if (Near(shot.Pixel(x, y), background))
                {
                    top = y;
                    break;
                }
            }
        }
        return top < int.MaxValue ? top : throw new InvalidOperationException("the page's background is nowhere on the screen");
    }
}
