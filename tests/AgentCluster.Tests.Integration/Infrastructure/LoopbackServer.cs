using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>
/// A TCP listener on 127.0.0.1 that hands each connection, over TLS when given a certificate, to a
/// handler: the part every loopback upstream of the tests shares.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2? _tls;
    private readonly Func<Stream, SslStream?, CancellationToken, Task> _serve;
    private int _connections;

    /// <summary><paramref name="serve"/> gets the connection's stream and, over TLS, its <see cref="SslStream"/>; I/O errors end the connection quietly.</summary>
    public LoopbackServer(X509Certificate2? tls, Func<Stream, SslStream?, CancellationToken, Task> serve)
    {
        _tls = tls;
        _serve = serve;
        _listener.Start();
        _ = AcceptLoop();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => _connections;

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
        try
        {
            Stream stream = client.GetStream();
            SslStream? secure = null;
            if (_tls is not null)
            {
                secure = new SslStream(stream);
                await secure.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _tls }, _stop.Token);
                stream = secure;
            }
            await _serve(stream, secure, _stop.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or FormatException
            or System.Security.Authentication.AuthenticationException)
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
