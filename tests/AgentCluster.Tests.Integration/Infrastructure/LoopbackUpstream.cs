using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
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
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private int _connections;

    private readonly X509Certificate2? _tls;

    /// <summary>Plain HTTP, or HTTPS with <paramref name="tls"/> as its certificate.</summary>
    public LoopbackUpstream(X509Certificate2? tls = null)
    {
        _tls = tls;
        _listener.Start();
        _ = AcceptLoop();
    }

    /// <summary>The server name each TLS client asked for (when serving TLS), in order.</summary>
    public IReadOnlyList<string> ServerNames => [.. _serverNames];

    private readonly ConcurrentQueue<string> _serverNames = new();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int Connections => _connections;
    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>Extra response headers, and what the body echoes (default: the request's head and body).</summary>
    public Func<ReceivedRequest, (IReadOnlyList<(string Name, string Value)> Headers, string Body)> Respond { get; set; } = Echo;

    /// <summary>The default answer: no extra headers, and the request's head and body as the body.</summary>
    public static (IReadOnlyList<(string Name, string Value)> Headers, string Body) Echo(ReceivedRequest r) => ([], r.Head + "\r\n\r\n" + r.Body);

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
        Stream stream = client.GetStream();
        if (_tls is not null)
        {
            var secure = new SslStream(stream);
            try
            {
                await secure.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _tls }, _stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
            {
                return;
            }
            _serverNames.Enqueue(secure.TargetHostName);
            stream = secure;
        }
        var reader = new RequestReader(stream);
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
}
