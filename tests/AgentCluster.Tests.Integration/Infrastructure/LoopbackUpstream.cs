using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>One request as the upstream received it: the head byte for byte, and the body.</summary>
public sealed record ReceivedRequest(string Head, string Body)
{
    public string RequestLine => Head.Split("\r\n")[0];

    public IEnumerable<string> Header(string name) => Head.Split("\r\n").Skip(1)
        .Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && string.Equals(p[0].Trim(), name, StringComparison.OrdinalIgnoreCase))
        .Select(p => p[1].Trim());
}

/// <summary>
/// A real HTTP/1.1 server on 127.0.0.1 that records every connection and request it gets and
/// answers 200 with the request echoed back (plus any headers a test adds), keeping connections alive.
/// </summary>
public sealed class LoopbackUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private int _connections;

    public LoopbackUpstream()
    {
        _listener.Start();
        _ = AcceptLoop();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int Connections => _connections;
    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Extra response headers, and what the body echoes (default: the request's head and body).</summary>
    public Func<ReceivedRequest, (IReadOnlyList<(string Name, string Value)> Headers, string Body)> Respond { get; set; } =
        r => ([], r.Head + "\r\n\r\n" + r.Body);

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            _ = Serve(client);
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var reader = new HeadReader(stream);
        try
        {
            while (await reader.ReadHeadAsync(_stop.Token) is { } head)
            {
                var body = await reader.ReadBodyAsync(head, _stop.Token);
                var request = new ReceivedRequest(head, body);
                _requests.Enqueue(request);
                var (headers, text) = Respond(request);
                var bytes = Encoding.UTF8.GetBytes(text);
                var response = new StringBuilder("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n");
                foreach (var (name, value) in headers)
                    response.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
                response.Append(CultureInfo.InvariantCulture, $"Content-Length: {bytes.Length}\r\n\r\n");
                await stream.WriteAsync(Encoding.Latin1.GetBytes(response.ToString()).Concat(bytes).ToArray(), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or FormatException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _stop.Dispose();
    }

    /// <summary>Reads heads and Content-Length or chunked bodies off one connection.</summary>
    private sealed class HeadReader(Stream stream)
    {
        private readonly List<byte> _buffer = [];

        public async Task<string?> ReadHeadAsync(CancellationToken ct)
        {
            int end;
            while ((end = IndexOf("\r\n\r\n"u8)) < 0)
            {
                if (!await FillAsync(ct))
                    return null;
            }
            return Take(end + 4)[..^4];
        }

        public async Task<string> ReadBodyAsync(string head, CancellationToken ct)
        {
            var request = new ReceivedRequest(head, "");
            if (request.Header("Content-Length").FirstOrDefault() is { } length)
                return await TakeAsync(int.Parse(length, CultureInfo.InvariantCulture), ct);
            if (!request.Header("Transfer-Encoding").Any(v => v.Contains("chunked", StringComparison.OrdinalIgnoreCase)))
                return "";
            var body = new StringBuilder();
            while (true)
            {
                var size = int.Parse((await LineAsync(ct)).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    await LineAsync(ct);
                    return body.ToString();
                }
                body.Append(await TakeAsync(size, ct));
                await LineAsync(ct);
            }
        }

        private async Task<string> LineAsync(CancellationToken ct)
        {
            int end;
            while ((end = IndexOf("\r\n"u8)) < 0)
            {
                if (!await FillAsync(ct))
                    throw new IOException("connection closed mid-body");
            }
            return Take(end + 2)[..^2];
        }

        private async Task<string> TakeAsync(int count, CancellationToken ct)
        {
            while (_buffer.Count < count)
            {
                if (!await FillAsync(ct))
                    throw new IOException("connection closed mid-body");
            }
            return Take(count);
        }

        private string Take(int count)
        {
            var text = Encoding.Latin1.GetString(_buffer.GetRange(0, count).ToArray());
            _buffer.RemoveRange(0, count);
            return text;
        }

        private int IndexOf(ReadOnlySpan<byte> pattern) => _buffer.ToArray().AsSpan().IndexOf(pattern);

        private async Task<bool> FillAsync(CancellationToken ct)
        {
            var chunk = new byte[8192];
            var read = await stream.ReadAsync(chunk, ct);
            _buffer.AddRange(chunk.AsSpan(0, read).ToArray());
            return read > 0;
        }
    }
}
