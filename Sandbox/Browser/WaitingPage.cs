using System.Text;
using System.Text.Encodings.Web;

namespace AgentCluster.ComputerServer.Browser;

/// <summary>
/// The page a warm-pool desktop's browser shows until its session's first page: it has no session
/// yet, so it waits here, and its claim hands the page the session's first page (or, without one,
/// the agent's first navigate). Measured, a typed URL costs the browser about 2.3 ms a character
/// plus 60 ms, which was most of a pooled desktop's start; a navigation that is already under way
/// costs one answer. The page goes at once to <c>/next</c>, whose answer is held until the hand-off
/// and is then a redirect to the first page: the browser follows it in its network path, with no
/// script to wake in the thawed page's renderer and no second navigation to begin.
/// The forwarder serves it from memory under a reserved name (<c>.invalid</c> never resolves) while
/// it is open; after the hand-off that name is an ordinary host again, and the session's proxy
/// refuses it. Nothing secret is in it: the first page is public to the session as any page is.
/// </summary>
internal sealed class WaitingPage
{
    public const string Host = "agentcluster.invalid";
    public const string Url = "http://" + Host + "/";
    private const string NextUrl = "http://" + Host + "/next";

    private readonly TaskCompletionSource<string?> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private bool _decided;
    private volatile bool _closed;

    /// <summary>A server started with a first page never shows it.</summary>
    public WaitingPage(bool shown) => _decided = _closed = !shown;

    /// <summary>Shown, and its wait not answered yet: the forwarder serves its requests.</summary>
    public bool IsOpen => !_closed;

    /// <summary>Completes once the page waits for its hand-off: a desktop paused before that would miss it.</summary>
    public Task Listening => _listening.Task;

    /// <summary>
    /// The page goes to <paramref name="url"/> by itself, if it can: it is listening, and the URL is
    /// one a page may open (a top-level <c>data:</c> URL may only be typed). False otherwise, and the
    /// caller navigates as a person would.
    /// </summary>
    public bool TryHandOff(string url)
    {
        var opens = url == "about:blank" || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
        return opens && Listening.IsCompleted && Decide(url);
    }

    /// <summary>No hand-off: the browser is going elsewhere, and the page (if it asks) stays as it is.</summary>
    public void Close()
    {
        if (Decide(null))
            _closed = true;
    }

    private bool Decide(string? url)
    {
        lock (_next)
        {
            if (_decided)
                return false;
            _decided = true;
        }
        _next.TrySetResult(url);
        return true;
    }

    /// <summary>
    /// The answer to a request the browser sent its proxy for this page, or null if the request is
    /// not this page's (it then goes on as any other). <paramref name="target"/> is the request's
    /// absolute URL.
    /// </summary>
    public async Task<byte[]?> AnswerAsync(string method, string target, CancellationToken ct)
    {
        if (!IsOpen || !target.StartsWith(Url, StringComparison.OrdinalIgnoreCase))
            return null;
        if (method == "GET" && target == Url)
            return Response("200 OK", "text/html; charset=utf-8", Html);
        if (method != "GET" || target != NextUrl)
            return Response("404 Not Found", "text/plain", "");
        _listening.TrySetResult();
        var next = await _next.Task.WaitAsync(ct);
        // Answered once: from now on its name is an ordinary host's.
        _closed = true;
        return Next(next);
    }

    /// <summary>
    /// A redirect, which the browser follows without the page; a URL a <c>Location</c> header cannot
    /// carry as it is (not printable ASCII, or about:blank, which no redirect may reach) is opened by a script.
    /// No content (nothing handed off) leaves the page as it is.
    /// </summary>
    private static byte[] Next(string? url)
    {
        if (url is null)
            return Response("204 No Content", "text/plain", "");
        if (url.StartsWith("http", StringComparison.OrdinalIgnoreCase) && url.All(c => c is > ' ' and < '\x7f'))
            return Response("302 Found", "text/plain", "", "Location: " + url + "\r\nReferrer-Policy: no-referrer\r\n");
        var script = "<!doctype html><meta name=\"referrer\" content=\"no-referrer\"><script>location.replace(\""
            + JavaScriptEncoder.Default.Encode(url) + "\")</script>";
        return Response("200 OK", "text/html; charset=utf-8", script);
    }

    // White as about:blank; no referrer for the first page's request, and replace() leaves no way back
    // (the redirect replaces /next in turn). Its navigation stays under way, the page shown, until the hand-off.
    // No icon to fetch: the browser asks for one late, and after the hand-off it would go to the session's proxy.
    private const string Html = """
        <!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><link rel="icon" href="data:,"><title>about:blank</title></head><body style="margin:0;background:#fff"><script>
        location.replace("/next");
        </script></body></html>
        """;

    private static byte[] Response(string status, string type, string body, string extraHeaders = "")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = $"HTTP/1.1 {status}\r\nContent-Type: {type}\r\nContent-Length: {bytes.Length}\r\nCache-Control: no-store\r\n{extraHeaders}Connection: close\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(head), .. bytes];
    }
}
