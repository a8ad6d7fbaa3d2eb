using System.Text;
using System.Text.Encodings.Web;

namespace AgentCluster.ComputerServer.Browser;

/// <summary>What the forwarder answers for the waiting page.</summary>
internal sealed partial class WaitingPage
{
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
        if (method == "GET" && target == NextUrl)
        {
            _navigating.TrySetResult();
            return Opening(await _atClaim.Task.WaitAsync(ct));
        }
        if (method == "GET" && target == WaitUrl)
        {
            _fetching.TrySetResult();
            return await _afterClaim.Task.WaitAsync(ct) is { } url
                ? Response("200 OK", "text/plain; charset=utf-8", url)
                : Response("204 No Content", "text/plain", "");
        }
        return Response("404 Not Found", "text/plain", "");
    }

    /// <summary>
    /// A redirect, which the browser follows without the page; a URL a <c>Location</c> header cannot
    /// carry as it is (not printable ASCII, or about:blank, which no redirect may reach) is opened by a script.
    /// No content leaves the page as it is.
    /// </summary>
    private static byte[] Opening(string? url)
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
    // (a redirect replaces /next in turn). The fetch first: the navigation must not start before it.
    // No icon to fetch: the browser asks for one late, and after the hand-off it would go to the session's proxy.
    private const string Html = """
        <!doctype html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><link rel="icon" href="data:,"><title>about:blank</title></head><body style="margin:0;background:#fff"><script>
        (async () => { for (;;) { try { const r = await fetch("/wait", { cache: "no-store" }); if (r.status === 200) { location.replace(await r.text()); } return; } catch (e) { } await new Promise(f => setTimeout(f, 50)); } })();
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
