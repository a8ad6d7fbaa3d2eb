using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>
/// A hostile upstream on 127.0.0.1: it reads one request per connection and lets the test write
/// the answer byte for byte (its own framing, encodings, chunk sizes and pauses), then closes.
/// </summary>
public sealed class ScriptedUpstream : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly LoopbackServer _server;

    /// <summary>Plain HTTP, or HTTPS with <paramref name="tls"/> as its certificate.</summary>
    public ScriptedUpstream(X509Certificate2? tls = null) => _server = new LoopbackServer(tls, Serve);

    public int Port => _server.Port;

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Writes the whole answer to the request; the connection closes after it.</summary>
    public Func<ReceivedRequest, Stream, Task> Answer { get; set; } = (_, stream) => Write(stream, "HTTP/1.1 204 No Content\r\n\r\n");

    public static Task Write(Stream stream, string latin1) => stream.WriteAsync(Encoding.Latin1.GetBytes(latin1)).AsTask();

    /// <summary>A head with the given headers and a body framed by Content-Length.</summary>
    public static async Task WriteWhole(Stream stream, string headers, byte[] body)
    {
        await Write(stream, $"HTTP/1.1 200 OK\r\n{headers}Content-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(body);
    }

    /// <summary>A chunked body, each piece its own chunk, flushed and followed by a pause so it leaves as its own segment.</summary>
    public static async Task WriteChunked(Stream stream, string headers, IEnumerable<byte[]> pieces)
    {
        await Write(stream, $"HTTP/1.1 200 OK\r\n{headers}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        foreach (var piece in pieces)
        {
            await Write(stream, $"{piece.Length:x}\r\n");
            await stream.WriteAsync(piece);
            await Write(stream, "\r\n");
            await stream.FlushAsync();
            await Task.Delay(20);
        }
        await Write(stream, "0\r\n\r\n");
    }

    private async Task Serve(Stream stream, SslStream? _, CancellationToken stop)
    {
        var reader = new RequestReader(stream);
        if (await reader.ReadHeadAsync(stop) is not { } head)
            return;
        var request = new ReceivedRequest(head, await reader.ReadBodyAsync(head, stop));
        _requests.Enqueue(request);
        await Answer(request, stream);
        await stream.FlushAsync(stop);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
