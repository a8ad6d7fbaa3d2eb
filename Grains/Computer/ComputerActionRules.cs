using AgentCluster.ComputerProtocol;

namespace AgentCluster.Grains.Computer;

/// <summary>
/// What an action's arguments must keep, checked before the gate sees it: an action that could
/// only fail must not cost an approval. The computer server checks again on its side.
/// </summary>
public static class ComputerActionRules
{
    public const int MaxTextLength = 4096;
    public const int MaxKeysLength = 100;
    public const int MaxUrlLength = 8192;
    public const int MaxScrollSteps = 100;

    /// <summary>Bounded so that an Act call is too: well inside its grain call's response timeout (IComputerGrain.Act).</summary>
    public const int MaxWaitMilliseconds = 20_000;
    public const int DefaultWaitMilliseconds = 1000;

    public const int MinFrameInterval = 100, MaxFrameInterval = 60_000, DefaultFrameInterval = 1000;
    public const int MaxFrames = 3600, DefaultFrames = 60;

    public static readonly IReadOnlyList<string> Buttons = ["left", "right", "middle", "double", "triple"];

    /// <summary>A screenshot every so many milliseconds for a watcher: gated and audited once, when it starts.</summary>
    public const string WatchFrames = "watch_frames";

    /// <summary>What the computer API takes: the protocol's actions for a computer-use model (not its ping, cost or configure), and a watcher.</summary>
    public static readonly IReadOnlyList<string> Actions =
    [
        ComputerActions.Screenshot, ComputerActions.MouseMove, ComputerActions.Click, ComputerActions.Drag, ComputerActions.Scroll,
        ComputerActions.Type, ComputerActions.Key, ComputerActions.CursorPosition, ComputerActions.Wait, ComputerActions.Navigate, WatchFrames,
    ];

    /// <summary>Why the action cannot be carried out; null when it can.</summary>
    public static string? Error(ComputerAction a) => a.Kind switch
    {
        ComputerActions.Screenshot => Picture(a) ?? Change(a),
        WatchFrames => Picture(a)
            ?? Range("interval_ms", a.IntervalMilliseconds ?? DefaultFrameInterval, MinFrameInterval, MaxFrameInterval)
            ?? Range("frames", a.Frames ?? DefaultFrames, 1, MaxFrames),
        ComputerActions.MouseMove => Point(a.X, a.Y, "x", "y", required: true),
        ComputerActions.Click => Point(a.X, a.Y, "x", "y", required: false)
            ?? (a.Button is null || Buttons.Contains(a.Button) ? null : $"button {a.Button} is not one of {string.Join(", ", Buttons)}"),
        ComputerActions.Drag => Point(a.X, a.Y, "x", "y", required: true) ?? Point(a.ToX, a.ToY, "to_x", "to_y", required: true),
        ComputerActions.Scroll => Point(a.X, a.Y, "x", "y", required: false)
            ?? Range("scroll_x", a.ScrollX ?? 0, -MaxScrollSteps, MaxScrollSteps) ?? Range("scroll_y", a.ScrollY ?? 0, -MaxScrollSteps, MaxScrollSteps)
            ?? ((a.ScrollX ?? 0) == 0 && (a.ScrollY ?? 0) == 0 ? "scroll needs scroll_x or scroll_y" : null),
        ComputerActions.Type => Text("text", a.Text, MaxTextLength),
        ComputerActions.Key => Text("keys", a.Keys, MaxKeysLength) ?? Combination(a.Keys!),
        ComputerActions.CursorPosition => null,
        ComputerActions.Wait => Range("milliseconds", a.Milliseconds ?? DefaultWaitMilliseconds, 0, MaxWaitMilliseconds),
        ComputerActions.Navigate => Text("url", a.Url, MaxUrlLength) ?? NavigationTarget.Error(a.Url!),
        _ => $"unknown action '{a.Kind}'; actions are {string.Join(", ", Actions)}",
    };

    private static string? Picture(ComputerAction a) =>
        a.Scale is { } scale && !(scale > 0 && scale <= 1) ? $"scale {scale} is outside (0, 1]"
        : a.Region is { } r && (r.X < 0 || r.Y < 0 || r.Width <= 0 || r.Height <= 0
            || (long)r.X + r.Width > DesktopScreen.Width || (long)r.Y + r.Height > DesktopScreen.Height)
            ? $"region {r.X},{r.Y} {r.Width}x{r.Height} is not inside the {DesktopScreen.Width}x{DesktopScreen.Height} screen"
        : null;

    /// <summary>A screenshot waits only for a change from a picture the caller names, and not for longer than a wait.</summary>
    private static string? Change(ComputerAction a) => (a.ChangedFrom, a.Milliseconds) switch
    {
        (null, null) => null,
        (null, _) => "wait_ms needs changed_from: a screenshot waits only for a change",
        (_, null) => "changed_from needs wait_ms",
        var (tag, wait) => !ScreenTag.IsTag(tag) ? $"changed_from is not a screenshot's tag ({ScreenTag.Length} lowercase hex digits)"
            : Range("wait_ms", wait.Value, 0, MaxWaitMilliseconds),
    };

    private static string? Point(int? x, int? y, string xName, string yName, bool required) => (x, y) switch
    {
        (null, null) when !required => null,
        (null, _) => $"{xName} is required",
        (_, null) => $"{yName} is required",
        _ => Range(xName, x.Value, 0, DesktopScreen.Width - 1) ?? Range(yName, y.Value, 0, DesktopScreen.Height - 1),
    };

    private static string? Range(string name, int value, int min, int max) =>
        value >= min && value <= max ? null : $"{name} {value} is outside {min}-{max}";

    private static string? Text(string name, string? value, int max) =>
        string.IsNullOrEmpty(value) ? $"{name} is required"
        : value.Length > max ? $"{name} is {value.Length} characters; at most {max}"
        : null;

    /// <summary>Parts joined by '+', none empty (a lone '+' is the plus key); the server knows the names.</summary>
    private static string? Combination(string keys) =>
        keys != "+" && keys.Split('+').Any(p => p.Trim().Length == 0) ? $"key combination '{keys}' has an empty part"
        : keys.Any(char.IsControl) ? "keys must not contain control characters"
        : null;
}
