using System.Net;
using System.Net.Sockets;
using System.Text;
using AgentCluster.ComputerServer.Browser;
using AgentCluster.ComputerServer.Serving;

namespace AgentCluster.ComputerServer.Egress;

/// <summary>
/// Chromium's proxy: a forwarder on the container's own loopback that hands each connection to
/// the session's egress proxy with the session's credential added (Chromium takes none in
/// <c>--proxy-server</c>; it would prompt). A request that comes before the silo's <c>configure</c>
/// waits for it (at most <see cref="ConfigurePatience"/>), then is refused; one for the browser's own services
/// (<see cref="Chromium.ServiceZone"/>) is refused at once. The credential lives in memory only and is never logged; neither are targets.
/// </summary>
internal sealed class ProxyForwarder(
    ProxyConfiguration configuration, int port = ProxyForwarder.Port, TimeSpan? configurePatience = null, WaitingPage? waitingPage = null,
    TimeSpan? connectTimeout = null)
    : IAsyncDisposable
{
    /// <summary>
    /// Loopback only, inside the sandbox's own network namespace: nothing outside it can connect,
    /// and the browser sends even loopback through the proxy, so no page reaches it either.
    /// The image's managed ProxySettings policy names the same port.
    /// </summary>
    public const int Port = 3128;

    public const int MaxHeadBytes = 32 * 1024;
    public const int MaxConnections = 256;
    public static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The egress proxy is on the sandbox's own host: a connect that takes longer is not coming.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a request waits for the session's proxy: a cold launch's configure follows its start within a second or two.</summary>
    public static readonly TimeSpan ConfigurePatience = TimeSpan.FromSeconds(15);

    private readonly TcpListener _listener = new(IPAddress.Loopback, port);
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _slots = new(MaxConnections, MaxConnections);
    private Task? _accepting;

    public static string Address => $"http://127.0.0.1:{Port}";

    /// <summary>The port it listens on (the one asked for, or the one the system gave for 0).</summary>
    public int LocalPort => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Start()
    {
        _listener.Start();
        _accepting = AcceptAsync(_stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        if (_accepting is not null)
            await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                await _slots.WaitAsync(ct);
                client = await _listener.AcceptSocketAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(client, ct);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken ct)
    {
        try
        {
            using (client)
            {
                await using var stream = new NetworkStream(client, ownsSocket: false);
                await ForwardAsync(client, stream, ct);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A browser drops connections all the time; nothing to report, and no target to log.
        }
        catch (Exception e)
        {
            // The type only: a message could carry a URL of the session's traffic.
            await Console.Error.WriteLineAsync($"proxy forwarder: a connection failed with {e.GetType().Name}");
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task ForwardAsync(Socket client, NetworkStream stream, CancellationToken ct)
    {
        using var headTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        headTimeout.CancelAfter(HeadTimeout);
        var (head, rest) = await HeadReader.ReadAsync(stream, MaxHeadBytes, headTimeout.Token);
        if (head is null)
        {
            await AnswerAsync(stream, "400 Bad Request", "the request head is incomplete or larger than " + MaxHeadBytes + " bytes", ct);
            return;
        }
        // The waiting page is served here, before any session's proxy is known (a pooled desktop has none).
        if (waitingPage is { IsOpen: true } && RequestLine(head) is [var method, var target, _]
            && await waitingPage.AnswerAsync(method, target, ct) is { } answer)
        {
            await stream.WriteAsync(answer, ct);
            return;
        }
        // Never the session's traffic, and never to wait for its proxy: a pooled desktop's would go out at its claim, beside its first page.
        if (RequestLine(head) is [var verb, var to, _] && ForBrowserService(verb, to))
        {
            await AnswerAsync(stream, "502 Bad Gateway", "the browser's own services do not go out through the session's egress", ct);
            return;
        }
        if (await configuration.WaitAsync(configurePatience ?? ConfigurePatience, ct) is not { } settings)
        {
            await AnswerAsync(stream, "503 Service Unavailable", "the session's egress proxy is not configured yet", ct);
            return;
        }
        if (ProxyRequestHead.Rewrite(head, settings.Credential, out var error) is not { } rewritten)
        {
            await AnswerAsync(stream, "400 Bad Request", error!, ct);
            return;
        }

        var proxy = new Uri(settings.Url);
        using var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp);
        // A firewall that drops (rather than refuses) would hold the page for TCP's own minutes.
        using var connecting = CancellationTokenSource.CreateLinkedTokenSource(ct);
        connecting.CancelAfter(connectTimeout ?? ConnectTimeout);
        try
        {
            await upstream.ConnectAsync(proxy.Host, proxy.Port, connecting.Token);
        }
        catch (Exception e) when (e is SocketException || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            await AnswerAsync(stream, "502 Bad Gateway", "the session's egress proxy cannot be reached", ct);
            return;
        }
        await using var toProxy = new NetworkStream(upstream, ownsSocket: false);
        await toProxy.WriteAsync(rewritten, ct);
        await toProxy.WriteAsync(rest, ct);
        // Browser to proxy until the browser is done sending; proxy to browser until the proxy closes.
        var up = PumpAsync(stream, toProxy, upstream, ct);
        var (status, count) = await StatusLineStartAsync(toProxy, ct);
        if (IsProxyAuthenticationRequired(status, count))
        {
            // A 407 would make the browser prompt for a proxy password, a dialog on the agent's screen
            // that nothing it types can answer (the forwarder sends the session's own credential).
            await AnswerAsync(stream, "502 Bad Gateway", "the session's egress proxy did not take the session's credential: the session is not Ready, or has ended", ct);
        }
        else
        {
            await stream.WriteAsync(status.AsMemory(0, count), ct);
            await toProxy.CopyToAsync(stream, ct);
        }
        client.Shutdown(SocketShutdown.Both);
        upstream.Shutdown(SocketShutdown.Both);
        await up;
    }

    /// <summary>The first bytes of the proxy's answer, enough for its status code (fewer if it closed first).</summary>
    private static async Task<(byte[] Bytes, int Count)> StatusLineStartAsync(Stream proxy, CancellationToken ct)
    {
        var bytes = new byte[StatusCodeEnd];
        var count = 0;
        while (count < bytes.Length && await proxy.ReadAsync(bytes.AsMemory(count), ct) is var read and > 0)
            count += read;
        return (bytes, count);
    }

    // "HTTP/1.1 407": the code ends at byte 12.
    private const int StatusCodeEnd = 12;

    internal static bool IsProxyAuthenticationRequired(byte[] start, int count) =>
        count == StatusCodeEnd && start.AsSpan(0, 7).SequenceEqual("HTTP/1."u8) && start.AsSpan(8, 4).SequenceEqual(" 407"u8);

    /// <summary>A request for one of the browser's own services (<see cref="Chromium.ServiceZone"/>): CONNECT host:port, or an absolute URL.</summary>
    internal static bool ForBrowserService(string method, string target) =>
        Uri.TryCreate(method == "CONNECT" ? "http://" + target + "/" : target, UriKind.Absolute, out var uri) && Chromium.IsServiceHost(uri.Host);

    private static string[] RequestLine(byte[] head)
    {
        var end = head.AsSpan().IndexOf("\r\n"u8);
        return Encoding.Latin1.GetString(head, 0, Math.Max(0, end)).Split(' ');
    }

    private static async Task PumpAsync(Stream from, Stream to, Socket toSocket, CancellationToken ct)
    {
        try
        {
            await from.CopyToAsync(to, ct);
            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The other direction ended the exchange.
        }
    }

    private static async Task AnswerAsync(Stream stream, string status, string message, CancellationToken ct)
    {
        var body = message + "\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status}\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}"), ct);
    }
}
