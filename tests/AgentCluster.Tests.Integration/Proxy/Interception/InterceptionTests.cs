using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Proxy.Interception;

/// <summary>
/// HTTPS through the real proxy to a real TLS upstream on loopback: a host a grant is bound to is
/// intercepted (the client sees the proxy CA's leaf, the stub is swapped, the secret stripped);
/// any other allowlisted host is a blind tunnel (the client sees the upstream's own certificate).
/// </summary>
public sealed class InterceptionTests(EgressNodeFixture node) : IClassFixture<EgressNodeFixture>
{
    private const string Secret = EgressNodeFixture.Secret;

    private int Port => node.SecureUpstream.Port;

    private async Task<(SandboxSession Session, string Stub)> GrantedSession()
    {
        var session = await node.NewSession($"127.0.0.1:{Port}", $"localhost:{Port}");
        var stub = (await node.Admin.Grants.RequestGrantAsync(new RequestGrantRequest { Session = session.Id, Resource = "echo", Action = "read" })).Token;
        return (session, stub);
    }

    [Fact]
    public async Task A_bound_host_is_intercepted_the_stub_swapped_and_the_secret_stripped()
    {
        var (session, stub) = await GrantedSession();
        var before = node.SecureUpstream.Requests.Count;

        var (tls, seen) = await Connect(session, $"127.0.0.1:{Port}", "127.0.0.1", ProxyCa());
        using (tls)
        {
            await tls.WriteAsync(Encoding.ASCII.GetBytes(
                $"GET /charges?limit=1 HTTP/1.1\r\nHost: 127.0.0.1:{Port}\r\nAuthorization: Bearer {stub}\r\nConnection: close\r\n\r\n"));
            var response = RawHttp.Parse(await RawHttp.ReadToCloseAsync(tls, TimeSpan.FromSeconds(20)));

            Assert.Equal(200, response.Status);
            Assert.Equal(ProxyCa().Subject, seen!.Issuer);
            var received = Assert.Single(node.SecureUpstream.Requests.Skip(before));
            Assert.Equal($"Bearer {Secret}", Assert.Single(received.Header("Authorization")));
            Assert.Equal("GET /charges?limit=1 HTTP/1.1", received.RequestLine);
            Assert.Empty(received.Header("Proxy-Authorization"));
            // The upstream echoed the real header back; the sandbox sees only its stub.
            Assert.DoesNotContain(Secret, response.Body, StringComparison.Ordinal);
            Assert.Contains(stub, response.Body, StringComparison.Ordinal);
        }
        await Eventually.True(async () => (await BrokerAudit.Rows(node.DataDir, node.Tenant)).Any(r =>
            r.Detail.Contains("\"decision\":\"intercepted\"", StringComparison.Ordinal)), "the intercepted CONNECT's audit row");
    }

    [Fact]
    public async Task Killing_the_session_refuses_the_next_request_on_an_open_intercepted_connection()
    {
        var (session, stub) = await GrantedSession();
        var (tls, _) = await Connect(session, $"127.0.0.1:{Port}", "127.0.0.1", ProxyCa());
        using (tls)
        {
            var request = Encoding.ASCII.GetBytes($"GET /again HTTP/1.1\r\nHost: 127.0.0.1:{Port}\r\nAuthorization: Bearer {stub}\r\n\r\n");
            await tls.WriteAsync(request);
            Assert.Equal(200, RawHttp.Parse(await RawHttp.ReadToCloseAsync(tls, TimeSpan.FromSeconds(20))).Status);
            var before = node.SecureUpstream.Requests.Count;

            await node.Admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = session.Id });
            await tls.WriteAsync(request);
            var response = RawHttp.Parse(await RawHttp.ReadToCloseAsync(tls, TimeSpan.FromSeconds(20)));

            Assert.Equal(407, response.Status);
            Assert.Equal(before, node.SecureUpstream.Requests.Count);
        }
    }

    [Fact]
    public async Task An_inner_host_that_is_not_the_connect_target_is_refused_and_nothing_goes_upstream()
    {
        var (session, stub) = await GrantedSession();
        var before = node.SecureUpstream.Requests.Count;

        var (tls, _) = await Connect(session, $"127.0.0.1:{Port}", "127.0.0.1", ProxyCa());
        using (tls)
        {
            await tls.WriteAsync(Encoding.ASCII.GetBytes(
                $"GET / HTTP/1.1\r\nHost: localhost:{Port}\r\nAuthorization: Bearer {stub}\r\nConnection: close\r\n\r\n"));
            var response = RawHttp.Parse(await RawHttp.ReadToCloseAsync(tls, TimeSpan.FromSeconds(20)));

            Assert.Equal(403, response.Status);
        }
        Assert.Equal(before, node.SecureUpstream.Requests.Count);
        await Eventually.True(async () => (await BrokerAudit.Rows(node.DataDir, node.Tenant)).Any(r =>
            (r.Reason + r.Detail).Contains("host-mismatch", StringComparison.Ordinal)), "the refused request's audit row");
    }

    [Fact]
    public async Task A_server_name_that_is_not_the_connect_target_is_refused_and_nothing_goes_upstream()
    {
        var (session, stub) = await GrantedSession();
        var before = (node.SecureUpstream.Requests.Count, node.SecureUpstream.Connections);

        // The leaf is for 127.0.0.1; the client asks for localhost and accepts it anyway, to get the request out.
        var (tls, _) = await Connect(session, $"127.0.0.1:{Port}", "localhost", null);
        using (tls)
        {
            try
            {
                await tls.WriteAsync(Encoding.ASCII.GetBytes(
                    $"GET / HTTP/1.1\r\nHost: 127.0.0.1:{Port}\r\nAuthorization: Bearer {stub}\r\nConnection: close\r\n\r\n"));
            }
            catch (IOException)
            {
            }
            var response = await RawHttp.ReadToCloseAsync(tls, TimeSpan.FromSeconds(20));
            Assert.Equal("", response);
        }
        Assert.Equal(before, (node.SecureUpstream.Requests.Count, node.SecureUpstream.Connections));
        await Eventually.True(async () => (await BrokerAudit.Rows(node.DataDir, node.Tenant)).Any(r =>
            (r.Reason + r.Detail).Contains("sni-mismatch", StringComparison.Ordinal)), "the refused CONNECT's audit row");
    }

    [Fact]
    public async Task An_allowlisted_host_no_grant_is_bound_to_is_a_blind_tunnel()
    {
        var (session, _) = await GrantedSession();
        var before = node.SecureUpstream.Requests.Count;

        // The grant binds 127.0.0.1 only: localhost is allowlisted but not intercepted.
        var (tls, seen) = await Connect(session, $"localhost:{Port}", "localhost", node.UpstreamCertificates.Ca);
        using (tls)
        {
            await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET /own HTTP/1.1\r\nHost: localhost:{Port}\r\nConnection: close\r\n\r\n"));
            var response = RawHttp.Parse(await RawHttp.ReadToCloseAsync(tls, TimeSpan.FromSeconds(20)));

            Assert.Equal(200, response.Status);
            Assert.Equal(node.UpstreamCertificates.Server.Thumbprint, seen!.Thumbprint);
        }
        Assert.Equal("GET /own HTTP/1.1", Assert.Single(node.SecureUpstream.Requests.Skip(before)).RequestLine);
    }

    private X509Certificate2 ProxyCa() => InterceptedClient.ProxyCa(node);

    private Task<(SslStream Tls, X509Certificate2? Seen)> Connect(SandboxSession session, string target, string serverName, X509Certificate2? trust) =>
        InterceptedClient.Connect(node, session, target, serverName, trust);
}
