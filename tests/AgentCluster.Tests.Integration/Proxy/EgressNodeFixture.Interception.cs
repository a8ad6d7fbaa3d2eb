using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Proxy;

/// <summary>CONNECT through the proxy and TLS inside it, as a sandbox's HTTPS client does.</summary>
public partial class EgressNodeFixture
{
    /// <summary>The deployment's proxy CA, as the proxy wrote it at start.</summary>
    public X509Certificate2 ProxyCa() => X509Certificate2.CreateFromPem(File.ReadAllText(CaCertificateFile));

    /// <summary>CONNECT through the proxy, then TLS as a client trusting only <paramref name="trust"/> (null: anything).</summary>
    public async Task<(SslStream Tls, X509Certificate2? Seen)> Connect(SandboxSession session, string target, string serverName, X509Certificate2? trust)
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", ProxyPort);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\nProxy-Authorization: {session.ProxyAuthorization}\r\n\r\n"));
        var established = new byte[39];
        await stream.ReadExactlyAsync(established);
        Assert.Equal("HTTP/1.1 200 Connection established\r\n\r\n", Encoding.ASCII.GetString(established));

        X509Certificate2? seen = null;
        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                seen = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
                if (trust is null)
                    return true;
                if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
                    return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(trust);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(seen);
            },
        });
        return (tls, seen);
    }

    /// <summary>One request inside an intercepted CONNECT to the TLS upstream on 127.0.0.1, and its response.</summary>
    public async Task<RawResponse> SendIntercepted(SandboxSession session, string request)
    {
        var (tls, _) = await Connect(session, $"127.0.0.1:{SecureUpstream.Port}", "127.0.0.1", ProxyCa());
        using (tls)
        {
            await tls.WriteAsync(Encoding.ASCII.GetBytes(request));
            return RawHttp.Parse(await RawHttp.ReadToCloseAsync(tls, TimeSpan.FromSeconds(20)));
        }
    }

    /// <summary>One request written byte for byte on an intercepted connection, and the raw answer (read to its length or the close).</summary>
    public static async Task<(RawResponse Response, byte[] Raw)> Exchange(SslStream tls, string request)
    {
        await tls.WriteAsync(Encoding.Latin1.GetBytes(request));
        var text = await RawHttp.ReadToCloseAsync(tls, TimeSpan.FromSeconds(20));
        return (RawHttp.Parse(text), Encoding.Latin1.GetBytes(text));
    }
}
