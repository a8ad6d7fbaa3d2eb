using AgentCluster.Api.V1;

namespace AgentCluster.Client.Sdk;

/// <summary>
/// One input action for <see cref="ComputerClient.ActAsync"/>, made with the factory of its kind.
/// Coordinates are screen pixels from the top-left corner of the 1280x800 screen.
/// </summary>
public sealed class ComputerInput
{
    private ComputerInput(ActRequest request) => Request = request;

    /// <summary>The call's message, every field but the session.</summary>
    internal ActRequest Request { get; }

    public string Action => Request.Action;

    public static ComputerInput MouseMove(int x, int y) => new(new ActRequest { Action = "mouse_move", X = x, Y = y });

    /// <summary><paramref name="button"/>: left, right, middle, double or triple; no point: where the pointer is.</summary>
    public static ComputerInput Click(int? x = null, int? y = null, string button = "left") =>
        new(At(new ActRequest { Action = "click", Button = button }, x, y));

    public static ComputerInput Drag(int x, int y, int toX, int toY) => new(new ActRequest { Action = "drag", X = x, Y = y, ToX = toX, ToY = toY });

    /// <summary>Wheel steps, positive down or right; no point: where the pointer is.</summary>
    public static ComputerInput Scroll(int? x, int? y, int scrollX, int scrollY) =>
        new(At(new ActRequest { Action = "scroll", ScrollX = scrollX, ScrollY = scrollY }, x, y));

    /// <summary>Typed as it is; the audit keeps only its length and a hash prefix.</summary>
    public static ComputerInput Type(string text) => new(new ActRequest { Action = "type", Text = text });

    /// <summary>A combination such as <c>ctrl+l</c>, <c>Return</c> or <c>ctrl+shift+Tab</c>.</summary>
    public static ComputerInput Key(string keys) => new(new ActRequest { Action = "key", Keys = keys });

    public static ComputerInput CursorPosition() => new(new ActRequest { Action = "cursor_position" });

    public static ComputerInput Wait(int milliseconds) => new(new ActRequest { Action = "wait", Milliseconds = milliseconds });

    /// <summary>http(s) to a host on the session's allowlist, data: or about:blank.</summary>
    public static ComputerInput Navigate(string url) => new(new ActRequest { Action = "navigate", Url = url });

    // Typed text may be a secret: the message's own ToString would print it.
    public override string ToString() => $"ComputerInput {{ Action = {Action} }}";

    private static ActRequest At(ActRequest request, int? x, int? y)
    {
        if (x is { } px)
            request.X = px;
        if (y is { } py)
            request.Y = py;
        return request;
    }
}
