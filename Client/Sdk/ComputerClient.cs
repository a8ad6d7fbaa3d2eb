using System.Runtime.CompilerServices;
using AgentCluster.Api.V1;
using Grpc.Core;

namespace AgentCluster.Client.Sdk;

/// <summary>
/// ComputerService: a desktop session's screen and input (orchestrator key). Every call passes the
/// session's approval gate; a held action waits for its approval, so <see cref="ActAsync"/> has no
/// deadline of its own (cancel it to give up: the approval is then withdrawn).
/// </summary>
public sealed class ComputerClient
{
    /// <summary>The response header that names the approval a held action waits for.</summary>
    public const string ApprovalHeader = "agentcluster-approval-id";

    private readonly ComputerService.ComputerServiceClient _client;

    internal ComputerClient(ChannelBase channel) => _client = new ComputerService.ComputerServiceClient(channel);

    /// <summary>The screen (or <paramref name="region"/> of it), shrunk by <paramref name="scale"/> in (0, 1].</summary>
    public async Task<Screenshot> ScreenshotAsync(string session, double? scale = null, ScreenArea? region = null,
        CancellationToken cancellationToken = default)
    {
        var request = new ScreenshotRequest { Session = session, Scale = scale ?? 0, Region = Region(region) };
        return Screenshot.From(await _client.ScreenshotAsync(request, CallDefaults.ForStream(cancellationToken)));
    }

    /// <summary>
    /// The first picture of the same <paramref name="region"/> and <paramref name="scale"/> that is not
    /// <paramref name="from"/>, as soon as the screen changes there; or, after <paramref name="wait"/>
    /// (at most 20 s), the picture as it is (then its <see cref="Screenshot.Tag"/> is <paramref name="from"/>'s).
    /// </summary>
    public async Task<Screenshot> ScreenshotWhenChangedAsync(string session, Screenshot from, TimeSpan wait, double? scale = null,
        ScreenArea? region = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        var request = new ScreenshotRequest
        {
            Session = session, Scale = scale ?? 0, Region = Region(region), ChangedFrom = from.Tag,
            WaitMs = (int)Math.Clamp(Math.Ceiling(wait.TotalMilliseconds), int.MinValue, int.MaxValue),
        };
        return Screenshot.From(await _client.ScreenshotAsync(request, CallDefaults.ForStream(cancellationToken)));
    }

    /// <summary>
    /// Carries out one action. <paramref name="held"/> hears the approval id when the gate holds it;
    /// a denied or expired approval is an <see cref="RpcException"/> with PermissionDenied.
    /// </summary>
    public async Task<ActResult> ActAsync(string session, ComputerInput input, Action<string>? held = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var request = input.Request.Clone();
        request.Session = session;
        using var call = _client.ActAsync(request, CallDefaults.ForStream(cancellationToken));
        if (held is not null && (await call.ResponseHeadersAsync).GetValue(ApprovalHeader) is { Length: > 0 } approval)
            held(approval);
        return ActResult.From(await call.ResponseAsync);
    }

    /// <summary>A screenshot every <paramref name="interval"/>, at most <paramref name="maxFrames"/>, while the session lives.</summary>
    public async IAsyncEnumerable<Screenshot> WatchFramesAsync(string session, TimeSpan interval, int maxFrames, double? scale = null,
        ScreenArea? region = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = new WatchFramesRequest
        {
            Session = session, IntervalMs = (int)interval.TotalMilliseconds, MaxFrames = maxFrames, Scale = scale ?? 0, Region = Region(region),
        };
        using var call = _client.WatchFrames(request, CallDefaults.ForStream(cancellationToken));
        await foreach (var frame in call.ResponseStream.ReadAllAsync(cancellationToken))
            yield return Screenshot.From(frame);
    }

    private static ScreenRegion? Region(ScreenArea? area) =>
        area is { } a ? new ScreenRegion { X = a.X, Y = a.Y, Width = a.Width, Height = a.Height } : null;
}

/// <summary>A rectangle of the screen, in pixels.</summary>
public readonly record struct ScreenArea(int X, int Y, int Width, int Height);
