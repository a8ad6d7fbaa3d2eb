namespace AgentCluster.Grains.Computer;

/// <summary>
/// One action on a desktop session's computer, as an orchestrator asked for it. <see cref="Kind"/>
/// is a computer protocol action (screenshot, mouse_move, click, drag, scroll, type, key,
/// cursor_position, wait, navigate) or watch_frames, a watcher's start; the other fields are its
/// arguments, null when it takes none. Coordinates are screen pixels from the top-left corner.
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

    /// <summary>For wait; for a screenshot with <see cref="ChangedFrom"/>, how long it may wait for a change.</summary>
    [Id(10)] public int? Milliseconds { get; init; }

    /// <summary>For navigate.</summary>
    [Id(11)] public string? Url { get; init; }

    /// <summary>For screenshot and watch_frames: a part of the screen, then a factor in (0, 1] to shrink it by.</summary>
    [Id(12)] public ScreenArea? Region { get; init; }
    [Id(13)] public double? Scale { get; init; }

    /// <summary>For watch_frames: the time between frames, and how many at most.</summary>
    [Id(14)] public int? IntervalMilliseconds { get; init; }
    [Id(15)] public int? Frames { get; init; }

    /// <summary>For screenshot: the tag of a picture the caller has; the answer waits for one that differs.</summary>
    [Id(16)] public string? ChangedFrom { get; init; }
}

/// <summary>A rectangle of the screen, in pixels.</summary>
[GenerateSerializer, Immutable]
public sealed record ScreenArea(
    [property: Id(0)] int X,
    [property: Id(1)] int Y,
    [property: Id(2)] int Width,
    [property: Id(3)] int Height);
