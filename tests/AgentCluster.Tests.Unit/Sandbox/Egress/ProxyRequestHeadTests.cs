using System.Text;
using AgentCluster.ComputerServer.Egress;

namespace AgentCluster.Tests.Unit.SandboxServer.Egress;

public sealed class ProxyRequestHeadTests
{
    private const string Credential = "ses_abc:s3cret";
    private static readonly string Basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Credential));

    private static string? Rewrite(string head, out string? error) =>
        ProxyRequestHead.Rewrite(Encoding.Latin1.GetBytes(head), Credential, out error) is { } bytes ? Encoding.Latin1.GetString(bytes) : null;

    [Fact]
    public void A_connect_carries_the_sessions_credential_and_loses_any_it_brought()
    {
        var head = Rewrite("CONNECT shop.test:443 HTTP/1.1\r\nHost: shop.test:443\r\nProxy-Authorization: Basic Zm9vOmJhcg==\r\n"
            + "Proxy-Connection: keep-alive\r\nUser-Agent: x\r\n\r\n", out var error);

        Assert.Null(error);
        Assert.Equal($"CONNECT shop.test:443 HTTP/1.1\r\nHost: shop.test:443\r\nUser-Agent: x\r\nProxy-Authorization: {Basic}\r\n\r\n", head);
    }

    [Fact]
    public void A_plain_request_closes_after_its_answer_so_no_second_request_goes_without_the_credential()
    {
        var head = Rewrite("POST http://127.0.0.1:8080/buy HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nConnection: keep-alive\r\n"
            + "Keep-Alive: timeout=5\r\nContent-Length: 3\r\n\r\n", out _);

        Assert.Equal($"POST http://127.0.0.1:8080/buy HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Length: 3\r\n"
            + $"Proxy-Authorization: {Basic}\r\nConnection: close\r\n\r\n", head);
    }

    [Fact]
    public void A_plain_websocket_upgrade_keeps_its_connection()
    {
        var head = Rewrite("GET http://h/ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n", out _);

        Assert.Contains("Connection: Upgrade\r\n", head);
        Assert.DoesNotContain("Connection: close", head);
    }

    [Theory]
    [InlineData("GET /etc HTTP/1.1\r\nHost: 127.0.0.1:3128\r\n\r\n", "only CONNECT and absolute http://")]
    [InlineData("GET https://h/ HTTP/1.1\r\nHost: h\r\n\r\n", "only CONNECT and absolute http://")]
    [InlineData("GET http://h/ HTTP/2\r\n\r\n", "METHOD TARGET HTTP/1.x")]
    [InlineData("GET http://h/ x HTTP/1.1\r\n\r\n", "METHOD TARGET HTTP/1.x")]
    [InlineData("GET http://h/ HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", "malformed")]
    [InlineData("GET http://h/ HTTP/1.1\r\nNoColon\r\n\r\n", "malformed")]
    [InlineData("GET http://h/ HTTP/1.1\r\nX: a\0b\r\n\r\n", "control characters")]
    public void What_a_browser_never_sends_its_proxy_is_refused(string head, string why)
    {
        Assert.Null(Rewrite(head, out var error));
        Assert.Contains(why, error, StringComparison.Ordinal);
    }
}
