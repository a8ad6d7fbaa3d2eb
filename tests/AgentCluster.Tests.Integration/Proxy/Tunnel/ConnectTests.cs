using System.Net.Sockets;
using System.Text;
using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Proxy.Tunnel;

/// <summary>CONNECT: the same checks as plain HTTP, then a blind tunnel to the checked address.</summary>
public sealed class ConnectTests(EgressNodeFixture node) : IClassFixture<EgressNodeFixture>
{
    [Fact]
    public async Task An_allowlisted_connect_is_a_tunnel_to_the_upstream_and_is_audited()
    {
        var session = await node.Shared;
        var before = node.Upstream.Requests.Count;
        var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", node.ProxyPort);
        var stream = client.GetStream();
        var target = $"127.0.0.1:{node.Upstream.Port}";
        await Write(stream, $"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\nProxy-Authorization: {session.ProxyAuthorization}\r\n\r\n");
        Assert.Equal("HTTP/1.1 200 Connection established\r\n\r\n", await ReadExactly(stream, 39));

        // Whatever the client says next goes through untouched: here, a request of its own.
        await Write(stream, $"GET /inside?x=1 HTTP/1.1\r\nHost: {target}\r\nConnection: close\r\n\r\n");
        var answer = RawHttp.Parse(await RawHttp.ReadToCloseAsync(stream, TimeSpan.FromSeconds(20)));

        Assert.Equal(200, answer.Status);
        var received = Assert.Single(node.Upstream.Requests.Skip(before));
        Assert.Equal("GET /inside?x=1 HTTP/1.1", received.RequestLine);
        Assert.Empty(received.Header("Proxy-Authorization"));
        // The row is written when the tunnel closes, with the bytes each way.
        client.Dispose();
        await Eventually.True(async () => (await BrokerAudit.Rows(node.DataDir, node.Tenant)).Any(r =>
            r.Kind == "egress.forwarded" && r.Detail.Contains("\"decision\":\"tunnelled\"", StringComparison.Ordinal)
            && r.Detail.Contains("\"method\":\"CONNECT\"", StringComparison.Ordinal)), "the tunnel's audit row");
    }

    [Fact]
    public async Task Killing_the_session_cuts_its_open_tunnel()
    {
        var session = await node.NewSession($"127.0.0.1:{node.Upstream.Port}");
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", node.ProxyPort);
        var stream = client.GetStream();
        var target = $"127.0.0.1:{node.Upstream.Port}";
        await Write(stream, $"CONNECT {target} HTTP/1.1\r\nProxy-Authorization: {session.ProxyAuthorization}\r\n\r\n");
        Assert.Equal("HTTP/1.1 200 Connection established\r\n\r\n", await ReadExactly(stream, 39));

        await node.Admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = session.Id });
        await Eventually.True(async () => (await BrokerAudit.Rows(node.DataDir, node.Tenant)).Any(r =>
            r.Kind == "egress.forwarded" && r.Reason == "session-ended"), "the tunnel cut by the kill");
        var before = node.Upstream.Requests.Count;

        try
        {
            await Write(stream, $"GET /after-kill HTTP/1.1\r\nHost: {target}\r\n\r\n");
        }
        catch (IOException)
        {
        }
        Assert.Equal("", await RawHttp.ReadToCloseAsync(stream, TimeSpan.FromSeconds(5)));
        Assert.Equal(before, node.Upstream.Requests.Count);
    }

    [Fact]
    public async Task Narrowing_the_allowlist_cuts_an_open_tunnel_to_a_host_it_no_longer_allows()
    {
        var target = $"127.0.0.1:{node.Upstream.Port}";
        var session = await node.NewSession(target);
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", node.ProxyPort);
        var stream = client.GetStream();
        await Write(stream, $"CONNECT {target} HTTP/1.1\r\nProxy-Authorization: {session.ProxyAuthorization}\r\n\r\n");
        Assert.Equal("HTTP/1.1 200 Connection established\r\n\r\n", await ReadExactly(stream, 39));

        // The session lives on; only the host it tunnels to is taken off its list.
        await node.Admin.Sessions.ChangeAllowHostsAsync(new ChangeAllowHostsRequest { Id = session.Id, Deny = { target } });
        await Eventually.True(async () => (await BrokerAudit.Rows(node.DataDir, node.Tenant)).Any(r =>
            r.Kind == "egress.forwarded" && r.Reason == "not-allowlisted" && r.Detail.Contains("\"decision\":\"tunnelled\"", StringComparison.Ordinal)),
            "the tunnel cut by the narrowed allowlist");
        var before = node.Upstream.Requests.Count;
        try
        {
            await Write(stream, $"GET /after-narrowing HTTP/1.1\r\nHost: {target}\r\n\r\n");
        }
        catch (IOException)
        {
        }
        Assert.Equal("", await RawHttp.ReadToCloseAsync(stream, TimeSpan.FromSeconds(5)));
        Assert.Equal(before, node.Upstream.Requests.Count);
    }

    [Theory]
    [InlineData("no-credential", "CONNECT 127.0.0.1:{UP} HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\n\r\n", 407)]
    [InlineData("wrong-secret", "CONNECT 127.0.0.1:{UP} HTTP/1.1\r\nProxy-Authorization: {BAD}\r\n\r\n", 407)]
    [InlineData("two-credentials", "CONNECT 127.0.0.1:{UP} HTTP/1.1\r\n{AUTH}{AUTH}\r\n", 407)]
    [InlineData("not-allowlisted-port", "CONNECT 127.0.0.1:1 HTTP/1.1\r\n{AUTH}\r\n", 403)]
    [InlineData("not-allowlisted-host", "CONNECT example.com:443 HTTP/1.1\r\n{AUTH}\r\n", 403)]
    [InlineData("metadata", "CONNECT 169.254.169.254:80 HTTP/1.1\r\n{AUTH}\r\n", 403)]
    [InlineData("decimal-loopback-elsewhere", "CONNECT 2130706434:{UP} HTTP/1.1\r\n{AUTH}\r\n", 403)]
    [InlineData("the-proxy-itself", "CONNECT 127.0.0.1:{PROXY} HTTP/1.1\r\n{AUTH}\r\n", 403)]
    [InlineData("no-port", "CONNECT 127.0.0.1 HTTP/1.1\r\n{AUTH}\r\n", 400)]
    [InlineData("port-0", "CONNECT 127.0.0.1:0 HTTP/1.1\r\n{AUTH}\r\n", 400)]
    [InlineData("port-65536", "CONNECT 127.0.0.1:65536 HTTP/1.1\r\n{AUTH}\r\n", 400)]
    [InlineData("url-target", "CONNECT http://127.0.0.1:{UP}/ HTTP/1.1\r\n{AUTH}\r\n", 400)]
    [InlineData("host-mismatch", "CONNECT 127.0.0.1:{UP} HTTP/1.1\r\nHost: example.com:443\r\n{AUTH}\r\n", 400)]
    [InlineData("two-hosts", "CONNECT 127.0.0.1:{UP} HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\nHost: 127.0.0.1:{UP}\r\n{AUTH}\r\n", 400)]
    [InlineData("bare-lf", "CONNECT 127.0.0.1:{UP} HTTP/1.1\r\nX-A: a\nHost: x\r\n{AUTH}\r\n", 400)]
    [InlineData("folded", "CONNECT 127.0.0.1:{UP} HTTP/1.1\r\nX-A: a\r\n b\r\n{AUTH}\r\n", 400)]
    [InlineData("bad-version", "CONNECT 127.0.0.1:{UP} HTTP/2.0\r\n{AUTH}\r\n", 400)]
    [InlineData("unbracketed-v6", "CONNECT ::1:{UP} HTTP/1.1\r\n{AUTH}\r\n", 400)]
    [InlineData("oversized-head", "CONNECT 127.0.0.1:{UP} HTTP/1.1\r\nX-Big: {BIG}\r\n{AUTH}\r\n", 431)]
    public async Task Refused_connects_open_nothing_upstream(string name, string template, int status)
    {
        var session = await node.Shared;
        var request = template
            .Replace("{AUTH}", $"Proxy-Authorization: {session.ProxyAuthorization}\r\n", StringComparison.Ordinal)
            .Replace("{BAD}", "Basic " + RawHttp.Basic(session.Id, "nope"), StringComparison.Ordinal)
            .Replace("{UP}", node.Upstream.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{PROXY}", node.ProxyPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{BIG}", new string('b', 20 * 1024), StringComparison.Ordinal);
        var before = node.Upstream.Connections;

        var response = await node.Send(request);

        Assert.True(status == response.Status, $"{name}: expected {status}, got {response.Text}");
        Assert.NotEmpty(response.Header("X-AgentCluster-Egress"));
        Assert.Equal(before, node.Upstream.Connections);
    }

    private static Task Write(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    private static async Task<string> ReadExactly(NetworkStream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer);
        return Encoding.ASCII.GetString(buffer);
    }
}
