namespace AgentCluster.Client.Sdk;

/// <summary>
/// One input action for <see cref="ComputerClient.ActAsync"/>, made with the factory of its kind.
/// Coordinates are screen pixels from the top-left corner of the 1280x800 screen.
/// </summary>
public sealed record ComputerInput(string Action)
{
    public int? X { get; init; }
    public int? Y { get; init; }
    public int? ToX { get; init; }
    public int? ToY { get; init; }
    public string? Button { get; init; }
    public string? Text { get; init; }
    public string? Keys { get; init; }
    public int ScrollX { get; init; }
    public int ScrollY { get; init; }
    public int? Milliseconds { get; init; }
    public string? Url { get; init; }

    public static ComputerInput MouseMove(int x, int y) => new("mouse_move") { X = x, Y = y };

    /// <summary><paramref name="button"/>: left, right, middle, double or triple; no point: where the pointer is.</summary>
    public static ComputerInput Click(int? x = null, int? y = null, string button = "left") => new("click") { X = x, Y = y, Button = button };

    public static ComputerInput Drag(int x, int y, int toX, int toY) => new("drag") { X = x, Y = y, ToX = toX, ToY = toY };

    /// <summary>Wheel steps, positive down or right.</summary>
    public static ComputerInput Scroll(int? x, int? y, int scrollX, int scrollY) =>
        new("scroll") { X = x, Y = y, ScrollX = scrollX, ScrollY = scrollY };

    /// <summary>Typed as it is; the audit keeps only its length and a hash prefix.</summary>
    public static ComputerInput Type(string text) => new("type") { Text = text };

    /// <summary>A combination such as <c>ctrl+l</c>, <c>Return</c> or <c>ctrl+shift+Tab</c>.</summary>
    public static ComputerInput Key(string keys) => new("key") { Keys = keys };

    public static ComputerInput CursorPosition() => new("cursor_position");

    public static ComputerInput Wait(int milliseconds) => new("wait") { Milliseconds = milliseconds };

    /// <summary>http(s) to a host on the session's allowlist, data: or about:blank.</summary>
    public static ComputerInput Navigate(string url) => new("navigate") { Url = url };

    // Typed text may be a secret: records print every property, so this one does not.
    public override string ToString() => $"ComputerInput {{ Action = {Action}, X = {X}, Y = {Y}, Text = {(Text is null ? "null" : "***")} }}";
}
