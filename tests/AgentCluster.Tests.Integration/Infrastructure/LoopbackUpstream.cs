using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
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
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly LoopbackServer _server;

    /// <summary>Plain HTTP, or HTTPS with <paramref name="tls"/> as its certificate.</summary>
    public LoopbackUpstream(X509Certificate2? tls = null) => _server = new LoopbackServer(tls, Serve);

    /// <summary>The server name each TLS client asked for (when serving TLS), in order.</summary>
    public IReadOnlyList<string> ServerNames => [.. _serverNames];

    private readonly ConcurrentQueue<string> _serverNames = new();

    public int Port => _server.Port;
    public int Connections => _server.Connections;
    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Extra response headers, and what the body echoes (default: the request's head and body).</summary>
    public Func<ReceivedRequest, (IReadOnlyList<(string Name, string Value)> Headers, string Body)> Respond { get; set; } = Echo;

    /// <summary>The default answer: no extra headers, and the request's head and body as the body.</summary>
    public static (IReadOnlyList<(string Name, string Value)> Headers, string Body) Echo(ReceivedRequest r) => ([], r.Head + "\r\n\r\n" + r.Body);

    private async Task Serve(Stream stream, SslStream? secure, CancellationToken stop)
    {
        if (secure is not null)
            _serverNames.Enqueue(secure.TargetHostName);
        var reader = new RequestReader(stream);
        while (await reader.ReadHeadAsync(stop) is { } head)
        {
            var body = await reader.ReadBodyAsync(head, stop);
            var request = new ReceivedRequest(head, body);
            _requests.Enqueue(request);
            var (headers, text) = Respond(request);
            var bytes = Encoding.UTF8.GetBytes(text);
            // text/plain unless the test's answer names its own type (a page for a browser).
            var response = new StringBuilder(headers.Any(h => h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
                ? "HTTP/1.1 200 OK\r\n" : "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n");
            foreach (var (name, value) in headers)
                response.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
            response.Append(CultureInfo.InvariantCulture, $"Content-Length: {bytes.Length}\r\n\r\n");
            await stream.WriteAsync(Encoding.Latin1.GetBytes(response.ToString()).Concat(bytes).ToArray(), stop);
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
