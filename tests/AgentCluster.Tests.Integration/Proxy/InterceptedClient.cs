using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Proxy;

/// <summary>A sandbox's HTTPS through the proxy: CONNECT with its credential, then TLS inside the tunnel.</summary>
public static class InterceptedClient
{
    /// <summary>The proxy CA the node's proxy wrote at start: what a sandbox image trusts.</summary>
    public static X509Certificate2 ProxyCa(EgressNodeFixture node) => X509Certificate2.CreateFromPem(File.ReadAllText(node.CaCertificateFile));

    /// <summary>CONNECT through the proxy, then TLS as a client trusting only <paramref name="trust"/> (null: anything).</summary>
    public static async Task<(SslStream Tls, X509Certificate2? Seen)> Connect(EgressNodeFixture node, SandboxSession session, string target,
        string serverName, X509Certificate2? trust)
    {
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", node.ProxyPort);
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

    /// <summary>One request written byte for byte on an intercepted connection, and the raw answer (read to its length or the close).</summary>
    public static async Task<(RawResponse Response, byte[] Raw)> Exchange(SslStream tls, string request)
    {
        await tls.WriteAsync(Encoding.Latin1.GetBytes(request));
        var text = await RawHttp.ReadToCloseAsync(tls, TimeSpan.FromSeconds(20));
        return (RawHttp.Parse(text), Encoding.Latin1.GetBytes(text));
    }
}
