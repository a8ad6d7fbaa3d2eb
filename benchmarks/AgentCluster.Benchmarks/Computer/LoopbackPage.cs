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
    private static readonly byte[] Answer = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nCache-Control: no-store\r\nConnection: close\r\nContent-Length: "
        + ComputerApiBenchmark.PageHtml.Length + "\r\n\r\n" + ComputerApiBenchmark.PageHtml);

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

    public int Requests;

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
