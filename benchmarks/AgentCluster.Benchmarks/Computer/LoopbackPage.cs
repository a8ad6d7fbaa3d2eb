using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AgentCluster.Benchmarks.Computer;

/// <summary>
/// A plain HTTP upstream on this machine's loopback that answers every request with the benchmark's
/// green page, for desktops whose browser reaches it the product's whole way: the in-sandbox
/// forwarder, the session's egress proxy (its allowlist and audit), then loopback.
/// </summary>
internal sealed class LoopbackPage : IAsyncDisposable
{
    /// <summary>
    /// The green page, with a script that reports the browser's own clock of its way to the page
    /// (navigation start, the fetch's start after any redirect, request, the answer's first and last byte, the script's run, its first
    /// animation frame, first paint; epoch milliseconds, the host's clock as every container
    /// shares it) half a second after its load, well after the look has seen it.
    /// </summary>
    private static readonly string Html = ComputerApiBenchmark.PageHtml.Replace("</body>", """
        <script>const ran = performance.now(); let frame = 0; requestAnimationFrame(t => frame = t);
        addEventListener("load", () => setTimeout(() => {
          const o = performance.timeOrigin, n = performance.getEntriesByType("navigation")[0];
          const p = performance.getEntriesByType("paint").find(e => e.name === "first-paint");
          fetch(`/beacon?o=${o}&g=${o + n.fetchStart}&q=${o + n.requestStart}&r=${o + n.responseStart}&e=${o + n.responseEnd}&s=${o + ran}&f=${o + frame}&p=${p ? o + p.startTime : 0}`, { cache: "no-store" }).catch(() => {});
        }, 500));</script></body>
        """, StringComparison.Ordinal);

    private static readonly byte[] Answer = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nCache-Control: no-store\r\nConnection: close\r\nContent-Length: "
        + Html.Length + "\r\n\r\n" + Html);

    private static readonly byte[] NoContent = Encoding.ASCII.GetBytes("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public LoopbackPage()
    {
        _listener.Start();
        _serving = ServeAsync(_stop.Token);
    }

    /// <summary>The session's allowlist entry.</summary>
    public string Host => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public string Url => $"http://{Host}/first";

    /// <summary>The page's requests, not counting its reports.</summary>
    public int Requests;

    private readonly ConcurrentQueue<PageTiming> _timings = new();

    /// <summary>
    /// The browser's report of the first page whose answer came after <paramref name="sinceEpochMs"/>, waited for up to 3 s
    /// (a pooled desktop's navigation starts long before: the waiting page's, redirected at the hand-off).
    /// </summary>
    public async Task<PageTiming?> TimingAfterAsync(double sinceEpochMs)
    {
        for (var until = DateTime.UtcNow.AddSeconds(3); DateTime.UtcNow < until; await Task.Delay(50))
        {
            if (_timings.FirstOrDefault(t => t.ResponseStart > sinceEpochMs) is { } found)
                return found;
        }
        return null;
    }

    public static double EpochMs() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;

    /// <summary>When each request's head had arrived (<see cref="Stopwatch.GetTimestamp"/>), for the start's breakdown.</summary>
    private readonly ConcurrentQueue<long> _arrivals = new();

    /// <summary>From <paramref name="since"/> to the first request that arrived after it; null if none did.</summary>
    public TimeSpan? FirstArrivalAfter(long since) =>
        _arrivals.Where(t => t > since).DefaultIfEmpty(0).Min() is var first and > 0 ? Stopwatch.GetElapsedTime(since, first) : null;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        _stop.Dispose();
    }

    private async Task ServeAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var client = await _listener.AcceptTcpClientAsync(ct);
                _ = AnswerAsync(client, ct);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private async Task AnswerAsync(TcpClient client, CancellationToken ct)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[8192];
                var seen = 0;
                // Up to the end of the head; the page's GET has no body.
                while (seen < buffer.Length && buffer.AsSpan(0, seen).IndexOf("\r\n\r\n"u8) < 0)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(seen), ct);
                    if (read == 0)
                        return;
                    seen += read;
                }
                var head = Encoding.ASCII.GetString(buffer, 0, seen);
                if (PageTiming.Parse(head) is { } timing)
                {
                    _timings.Enqueue(timing);
                    await stream.WriteAsync(NoContent, ct);
                    return;
                }
                _arrivals.Enqueue(Stopwatch.GetTimestamp());
                Interlocked.Increment(ref Requests);
                await stream.WriteAsync(Answer, ct);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // The browser went away: nothing to answer.
            }
        }
    }
}
