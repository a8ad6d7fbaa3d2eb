using System.Net;
using System.Net.Sockets;
using AgentCluster.Proxy.Egress;

namespace AgentCluster.Proxy.Forwarding;

/// <summary>
/// The one HTTP client the proxy forwards with. It never resolves a name: every new connection
/// goes to the endpoint the address guard checked for the request that opened it.
/// </summary>
public static class CheckedConnections
{
    public static readonly HttpRequestOptionsKey<IPEndPoint> Target = new("agentcluster.egress.checked-target");

    public static HttpMessageInvoker Create(EgressOptions options) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = options.UpstreamConnectTimeout,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        ActivityHeadersPropagator = null,
        ConnectCallback = ConnectAsync,
        SslOptions = UpstreamTrust.ClientOptions(options.UpstreamTrustedCaFile),
    });

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        if (!context.InitialRequestMessage.Options.TryGetValue(Target, out var endpoint))
            throw new InvalidOperationException("no checked address for this connection: refusing to connect");
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
