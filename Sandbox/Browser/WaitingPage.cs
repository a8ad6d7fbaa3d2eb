namespace AgentCluster.ComputerServer.Browser;

/// <summary>
/// The page a warm-pool desktop's browser shows until its session's first page: it has no session
/// yet, so it waits here, and its claim hands the page the session's first page (or, without one,
/// the agent's first navigate). Measured, a typed URL costs the browser about 2.3 ms a character
/// plus 60 ms, which was most of a pooled desktop's start; a page that is already waiting costs one answer.
/// It waits two ways, both held by the forwarder. A navigation to <c>/next</c>, answered at a claim
/// with a first page by a redirect to it, which the browser follows in its network path (no script
/// to wake in the thawed renderer, no second navigation to begin); a claim without one answers it
/// with no content, which ends it where it is (a navigation under way spins the tab's throbber,
/// which would redraw an idle session's screen). And a fetch of <c>/wait</c>, answered with the
/// agent's first navigate after such a claim, which the page then opens.
/// The forwarder serves it from memory under a reserved name (<c>.invalid</c> never resolves) while
/// it is open; after the hand-off that name is an ordinary host again, and the session's proxy
/// refuses it. Nothing secret is in it: the first page is public to the session as any page is.
/// </summary>
internal sealed partial class WaitingPage
{
    public const string Host = "agentcluster.invalid";
    public const string Url = "http://" + Host + "/";
    private const string NextUrl = Url + "next", WaitUrl = Url + "wait";

    private readonly TaskCompletionSource<string?> _atClaim = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string?> _afterClaim = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _navigating = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _fetching = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();

    private bool _decided;
    private volatile bool _closed;

    /// <summary>A server started with a first page never shows it.</summary>
    public WaitingPage(bool shown) => _decided = _closed = !shown;

    /// <summary>Shown, and its wait not answered yet: the forwarder serves its requests.</summary>
    public bool IsOpen => !_closed;

    /// <summary>Completes once the page waits both ways: a desktop paused before that would miss its hand-off.</summary>
    public Task Listening => field ??= Task.WhenAll(_navigating.Task, _fetching.Task);

    /// <summary>
    /// The page goes to <paramref name="url"/> by itself, if it can: it is listening, and the URL is
    /// one a page may open (a top-level <c>data:</c> URL may only be typed). False otherwise, and the
    /// caller navigates as a person would.
    /// </summary>
    public bool TryHandOff(string url)
    {
        var opens = url == "about:blank" || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        if (!opens || !Listening.IsCompleted)
            return false;
        lock (_gate)
        {
            if (_decided)
                return false;
            _decided = _closed = true;
        }
        // At a claim its navigation takes it; after a claim without a first page, its fetch does.
        if (_atClaim.TrySetResult(url))
            _afterClaim.TrySetResult(null);
        else
            _afterClaim.TrySetResult(url);
        return true;
    }

    /// <summary>Claimed without a first page: its navigation ends where it is, and its fetch waits on for the agent's first navigate.</summary>
    public void Claimed()
    {
        lock (_gate)
        {
            if (!_decided)
                _atClaim.TrySetResult(null);
        }
    }

    /// <summary>No hand-off: the browser is going elsewhere, and the page (if it asks) stays as it is.</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_decided)
                return;
            _decided = _closed = true;
        }
        _atClaim.TrySetResult(null);
        _afterClaim.TrySetResult(null);
    }
}
