using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using AgentCluster.Proxy.Egress;
using Microsoft.AspNetCore.Connections;

namespace AgentCluster.Proxy.Interception;

/// <summary>
/// Terminates the client's TLS inside an allowed CONNECT with a leaf for the target host, then
/// hands the decrypted connection to Kestrel so each request inside runs the egress pipeline.
/// </summary>
public sealed class TlsInterception(ProxyCaStartup authority, EgressOptions options, ILogger<TlsInterception> logger)
{
    /// <summary>Null once the connection has been served; otherwise why it was refused (nothing was sent upstream).</summary>
    public async Task<string?> Serve(ConnectionContext connection, ConnectionDelegate next, InterceptedTarget target)
    {
        var leaf = authority.Leaves.For(target.Target.Host);
        var context = SslStreamCertificateContext.Create(leaf, [authority.Leaves.Authority], offline: true);
        var tls = new SslStream(new DuplexStream(connection.Transport), leaveInnerStreamOpen: true);
        using var handshake = new CancellationTokenSource(options.RequestHeadersTimeout);
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = context,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            }, handshake.Token);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            logger.LogInformation("Interception handshake for {Target} failed: {Error}", target.Target, e.Message);
            await tls.DisposeAsync();
            return "tls-handshake-failed";
        }
        await using (tls)
        {
            if (NameMatch.ServerName(target.Target, tls.TargetHostName) is { } mismatch)
                return mismatch;
            var original = connection.Transport;
            connection.Transport = new DuplexPipe(PipeReader.Create(tls, new StreamPipeReaderOptions(leaveOpen: true)),
                PipeWriter.Create(tls, new StreamPipeWriterOptions(leaveOpen: true)));
            connection.Items[InterceptedTarget.Key] = target;
            try
            {
                await next(connection);
            }
            finally
            {
                connection.Transport = original;
            }
        }
        return null;
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;
        public PipeWriter Output => output;
    }
}
