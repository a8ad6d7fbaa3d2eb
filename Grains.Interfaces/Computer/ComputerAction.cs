namespace AgentCluster.Grains.Computer;

/// <summary>
/// One action on a desktop session's computer, as an orchestrator asked for it. <see cref="Kind"/>
/// is one of <see cref="ComputerActionKinds"/>; the other fields are its arguments, null when it
/// takes none. Coordinates are screen pixels from the top-left corner.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ComputerAction([property: Id(0)] string Kind)
{
    [Id(1)] public int? X { get; init; }
    [Id(2)] public int? Y { get; init; }

    /// <summary>Where a drag ends.</summary>
    [Id(3)] public int? ToX { get; init; }
    [Id(4)] public int? ToY { get; init; }

    /// <summary>For click: left (the default), right, middle, double or triple.</summary>
    [Id(5)] public string? Button { get; init; }

    /// <summary>For type: typed as it is, and never recorded in clear (see ComputerAudit).</summary>
    [Id(6)] public string? Text { get; init; }

    /// <summary>For key: a combination such as <c>ctrl+l</c> or <c>Return</c>.</summary>
    [Id(7)] public string? Keys { get; init; }

    /// <summary>For scroll: wheel steps, positive down or right.</summary>
    [Id(8)] public int? ScrollX { get; init; }
    [Id(9)] public int? ScrollY { get; init; }

    /// <summary>For wait.</summary>
    [Id(10)] public int? Milliseconds { get; init; }

    /// <summary>For navigate.</summary>
    [Id(11)] public string? Url { get; init; }

    /// <summary>For screenshot and watch_frames: a part of the screen, then a factor in (0, 1] to shrink it by.</summary>
    [Id(12)] public ScreenArea? Region { get; init; }
    [Id(13)] public double? Scale { get; init; }

    /// <summary>For watch_frames: the time between frames, and how many at most.</summary>
    [Id(14)] public int? IntervalMilliseconds { get; init; }
    [Id(15)] public int? Frames { get; init; }
}

/// <summary>A rectangle of the screen, in pixels.</summary>
[GenerateSerializer, Immutable]
public sealed record ScreenArea(
    [property: Id(0)] int X,
    [property: Id(1)] int Y,
    [property: Id(2)] int Width,
    [property: Id(3)] int Height);

/// <summary>The actions the computer API takes: the computer protocol's, plus the start of a watcher's stream of frames.</summary>
public static class ComputerActionKinds
{
    public const string Screenshot = "screenshot";
    public const string MouseMove = "mouse_move";
    public const string Click = "click";
    public const string Drag = "drag";
    public const string Scroll = "scroll";
    public const string Type = "type";
    public const string Key = "key";
    public const string CursorPosition = "cursor_position";
    public const string Wait = "wait";
    public const string Navigate = "navigate";

    /// <summary>A screenshot every so many milliseconds for a watcher: gated and audited once, when it starts.</summary>
    public const string WatchFrames = "watch_frames";

    public static readonly IReadOnlyList<string> All =
        [Screenshot, MouseMove, Click, Drag, Scroll, Type, Key, CursorPosition, Wait, Navigate, WatchFrames];
}
