using AgentCluster.Api.V1;
using AgentCluster.Grains.Computer;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AgentCluster.Silo.Api;

/// <summary>The computer API's messages as grain records and back; an outcome that is no success as its gRPC status.</summary>
internal static class ComputerMapping
{
    public static ComputerAction Screenshot(ScreenshotRequest r) => new(ComputerProtocol.ComputerActions.Screenshot)
    {
        Region = Area(r.Region),
        Scale = r.Scale == 0 ? null : r.Scale,
        ChangedFrom = Text(r.ChangedFrom),
        Milliseconds = r.WaitMs == 0 ? null : r.WaitMs,
    };

    public static ComputerAction Watch(WatchFramesRequest r) => new(ComputerActionRules.WatchFrames)
    {
        Region = Area(r.Region),
        Scale = r.Scale == 0 ? null : r.Scale,
        IntervalMilliseconds = r.IntervalMs == 0 ? null : r.IntervalMs,
        Frames = r.MaxFrames == 0 ? null : r.MaxFrames,
    };

    /// <summary>Unset fields stay null; screenshots have calls of their own.</summary>
    public static ComputerAction Act(ActRequest r) => r.Action is ComputerProtocol.ComputerActions.Screenshot or ComputerActionRules.WatchFrames
        ? throw new RpcException(new Status(StatusCode.InvalidArgument, $"{r.Action} is not an Act action: call Screenshot or WatchFrames"))
        : new(r.Action)
        {
            X = r.HasX ? r.X : null,
            Y = r.HasY ? r.Y : null,
            ToX = r.HasToX ? r.ToX : null,
            ToY = r.HasToY ? r.ToY : null,
            Button = Text(r.Button),
            Text = Text(r.Text),
            Keys = Text(r.Keys),
            ScrollX = r.ScrollX == 0 ? null : r.ScrollX,
            ScrollY = r.ScrollY == 0 ? null : r.ScrollY,
            Milliseconds = r.HasMilliseconds ? r.Milliseconds : null,
            Url = Text(r.Url),
        };

    public static ScreenshotResponse Picture(ComputerOutcome o, DateTimeOffset takenAt) => new()
    {
        Png = ByteString.CopyFrom(o.Png ?? []),
        Width = o.Width,
        Height = o.Height,
        Risk = o.Risk,
        ApprovalId = o.ApprovalId ?? "",
        TakenAt = Timestamp.FromDateTimeOffset(takenAt),
        Tag = o.Png is { } png ? ComputerProtocol.ScreenTag.Of(png) : "",
    };

    public static ActResponse Acted(ComputerAction action, ComputerOutcome o)
    {
        var response = new ActResponse { Action = action.Kind, Risk = o.Risk, ApprovalId = o.ApprovalId ?? "" };
        if (o.CursorX is { } x && o.CursorY is { } y)
            (response.CursorX, response.CursorY) = (x, y);
        return response;
    }

    /// <summary>The outcome of a done action; anything else as the status the API promises for it.</summary>
    public static ComputerOutcome Done(ComputerOutcome o) => o.Status == ComputerStatus.Done ? o : throw new RpcException(new Status(o.Status switch
    {
        ComputerStatus.NotFound => StatusCode.NotFound,
        ComputerStatus.Ended or ComputerStatus.NotDesktop => StatusCode.FailedPrecondition,
        ComputerStatus.Invalid => StatusCode.InvalidArgument,
        ComputerStatus.Refused or ComputerStatus.Denied => StatusCode.PermissionDenied,
        ComputerStatus.TooManyPending => StatusCode.ResourceExhausted,
        ComputerStatus.Unavailable => StatusCode.Unavailable,
        _ => StatusCode.Internal,
    }, o.Error ?? o.Status.ToString()));

    private static ScreenArea? Area(ScreenRegion? r) => r is null ? null : new(r.X, r.Y, r.Width, r.Height);

    private static string? Text(string value) => value.Length == 0 ? null : value;
}
