namespace AgentCluster.ComputerProtocol;

/// <summary>
/// One action for the computer server. <see cref="Action"/> says which (see
/// <see cref="ComputerActions"/>); the other fields are its arguments, null when it takes none.
/// Coordinates are screen pixels from the top-left corner.
/// </summary>
public sealed record ComputerRequest
{
    public required string Action { get; init; }

    public int? X { get; init; }
    public int? Y { get; init; }

    /// <summary>Where a drag ends.</summary>
    public int? ToX { get; init; }
    public int? ToY { get; init; }

    /// <summary>For click: left (default), right, middle, double or triple (left clicked 2 or 3 times).</summary>
    public string? Button { get; init; }

    /// <summary>For type: the text, typed as it is.</summary>
    public string? Text { get; init; }

    /// <summary>For key: a combination such as <c>ctrl+l</c>, <c>Return</c> or <c>ctrl+shift+Tab</c>.</summary>
    public string? Keys { get; init; }

    /// <summary>For scroll: wheel steps, positive down or right.</summary>
    public int? ScrollX { get; init; }
    public int? ScrollY { get; init; }

    /// <summary>For wait; for a screenshot with <see cref="ChangedFrom"/>, how long it may wait for a change.</summary>
    public int? Milliseconds { get; init; }

    /// <summary>
    /// For screenshot: the <see cref="ScreenTag"/> of a picture the caller has of the same region and
    /// scale. The answer is the first picture that differs from it, or, after <see cref="Milliseconds"/>, the picture as it is.
    /// </summary>
    public string? ChangedFrom { get; init; }

    /// <summary>For navigate; for configure, a claimed desktop's first page (optional).</summary>
    public string? Url { get; init; }

    /// <summary>A cold desktop's first page in its container's environment, for the browser to start on (public, as the CA).</summary>
    public const string StartUrlEnvironmentVariable = "AGENTCLUSTER_START_URL";

    /// <summary>
    /// Set ("1") in a warm-pool desktop's environment: its browser waits on the computer server's
    /// waiting page for its claim's first page instead of starting blank.
    /// </summary>
    public const string WaitForClaimEnvironmentVariable = "AGENTCLUSTER_WAIT_FOR_CLAIM";

    /// <summary>
    /// How long a navigate or a ready waits for the browser's window (a cold desktop's browser may still be
    /// starting); the silo's timeout for a navigate grows by as much.
    /// </summary>
    public static readonly TimeSpan BrowserWindowPatience = TimeSpan.FromSeconds(20);

    /// <summary>For screenshot: a part of the screen, then a factor in (0, 1] to shrink it by.</summary>
    public ScreenRegion? Region { get; init; }
    public double? Scale { get; init; }

    /// <summary>For configure: how the browser reaches the session's egress proxy.</summary>
    public ProxySettings? Proxy { get; init; }
}

public sealed record ScreenRegion(int X, int Y, int Width, int Height);

/// <summary>
/// The session's egress proxy as the server receives it with <c>configure</c> (after a cold launch,
/// or at claim time): <see cref="Url"/> is <c>http://host:port</c>, <see cref="Credential"/> is
/// <c>user:secret</c> for Proxy-Authorization and never written to a log, and
/// <see cref="CaCertificatePem"/> (public) is the deployment's proxy CA, or null to keep the one trusted.
/// </summary>
public sealed record ProxySettings(string Url, string Credential, string? CaCertificatePem)
{
    // A record prints its members; this one must never print the credential, wherever it is logged.
    public override string ToString() => $"ProxySettings {{ Url = {Url}, Credential = *** }}";

    /// <summary>The proxy CA's PEM in a desktop container's environment (public; the credential never goes there).</summary>
    public const string CaEnvironmentVariable = "AGENTCLUSTER_PROXY_CA";
}

/// <summary>The action names the server knows.</summary>
public static class ComputerActions
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

    /// <summary>Answers at once: a bare round trip through the channel.</summary>
    public const string Ping = "ping";

    /// <summary>
    /// Takes a full screenshot inside the server and answers how long it took, sending no image:
    /// the in-container baseline the channel's screenshots are measured against.
    /// </summary>
    public const string ScreenshotCost = "screenshot_cost";

    /// <summary>Hands the server the session's proxy settings.</summary>
    public const string Configure = "configure";

    /// <summary>
    /// Answers once the browser's window is on the screen (within <see cref="ComputerRequest.BrowserWindowPatience"/>):
    /// a warm-pool desktop is paused only after this, so that a claim gets a browser, not a start-up.
    /// </summary>
    public const string Ready = "ready";
}
