using System.Text;
using AgentCluster.Grains.Egress;
using AgentCluster.Proxy.Forwarding;
using AgentCluster.Proxy.Identity;
using AgentCluster.Proxy.Tunnel;
using Microsoft.Extensions.Primitives;

namespace AgentCluster.Tests.Unit.Egress;

/// <summary>The proxy's own parsers: absolute-form targets, CONNECT heads and Proxy-Authorization.</summary>
public sealed class RequestShapeTests
{
    private const string Session = "ses_0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("http://Example.COM/a/b?c=d", "example.com", 80, "/a/b?c=d", "/a/b")]
    [InlineData("HTTP://example.com:8080", "example.com", 8080, "/", "/")]
    [InlineData("http://example.com?x=1", "example.com", 80, "/?x=1", "/")]
    [InlineData("http://[::1]:81/p", "::1", 81, "/p", "/p")]
    [InlineData("http://0x7f.1:81/p", "127.0.0.1", 81, "/p", "/p")]
    public void Absolute_targets_are_split_and_normalised(string raw, string host, int port, string pathAndQuery, string path)
    {
        var target = AbsoluteTarget.Parse(raw, out var error);
        Assert.True(target is not null, error);
        Assert.Equal(new Authority(host, port), target.Authority);
        Assert.Equal(pathAndQuery, target.PathAndQuery);
        Assert.Equal(path, target.Path);
    }

    [Theory]
    [InlineData("/relative")]
    [InlineData("https://example.com/")]
    [InlineData("ftp://example.com/")]
    [InlineData("http://user@example.com/")]
    [InlineData("http://user:pw@example.com/")]
    [InlineData("http://exa%6dple.com/")]
    [InlineData("http://example.com/#frag")]
    [InlineData("http://example.com:0/")]
    [InlineData("http://example.com:65536/")]
    [InlineData("http:///path")]
    [InlineData("http://exa mple.com/")]
    public void Other_targets_are_refused(string raw) => Assert.Null(AbsoluteTarget.Parse(raw, out _));

    [Fact]
    public void A_connect_head_names_its_target_and_credential()
    {
        var head = ConnectHead.Parse("CONNECT Example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nProxy-Authorization: Basic abc", out var auth, out var error);
        Assert.True(head is not null, error);
        Assert.Equal(new Authority("example.com", 443), head.Target);
        Assert.Equal("Basic abc", Assert.Single(auth));
    }

    [Theory]
    [InlineData("CONNECT example.com HTTP/1.1")]
    [InlineData("CONNECT example.com:0 HTTP/1.1")]
    [InlineData("CONNECT example.com:443 HTTP/1.1 extra")]
    [InlineData("CONNECT  example.com:443 HTTP/1.1")]
    [InlineData("GET example.com:443 HTTP/1.1")]
    [InlineData("CONNECT example.com:443 HTTP/2")]
    [InlineData("CONNECT example.com:443 HTTP/1.1\r\nHost: other.com:443")]
    [InlineData("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nHost: example.com:443")]
    [InlineData("CONNECT example.com:443 HTTP/1.1\r\nX-A: a\nB: b")]
    [InlineData("CONNECT example.com:443 HTTP/1.1\r\nX-A: a\rB: b")]
    [InlineData("CONNECT example.com:443 HTTP/1.1\r\n folded")]
    [InlineData("CONNECT example.com:443 HTTP/1.1\r\nX-A : a")]
    [InlineData("CONNECT example.com:443 HTTP/1.1\r\nno colon")]
    [InlineData("CONNECT exa\0mple.com:443 HTTP/1.1")]
    public void Ill_formed_or_mismatched_connects_are_refused(string head) => Assert.Null(ConnectHead.Parse(head, out _, out _));

    [Fact]
    public void A_basic_credential_is_a_session_id_and_a_secret()
    {
        Assert.Equal((Session, "s3cret:with:colons"), ProxyAuthorization.Parse(Basic($"{Session}:s3cret:with:colons")));
        Assert.Equal((Session, "x"), ProxyAuthorization.Parse("basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Session}:x"))));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Bearer abc")]
    [InlineData("Basic !!!")]
    [InlineData("Basic ")]
    public void Anything_else_is_no_credential(string header) => Assert.Null(ProxyAuthorization.Parse(header));

    [Fact]
    public void Wrong_user_names_empty_secrets_and_two_headers_are_no_credential()
    {
        Assert.Null(ProxyAuthorization.Parse(Basic("admin:pw")));
        Assert.Null(ProxyAuthorization.Parse(Basic($"{Session}:")));
        Assert.Null(ProxyAuthorization.Parse(Basic(Session)));
        Assert.Null(ProxyAuthorization.Parse(Basic($"{Session}:{new string('x', 300)}")));
        Assert.Null(ProxyAuthorization.Parse(new StringValues([Basic($"{Session}:a"), Basic($"{Session}:a")])));
        Assert.Null(ProxyAuthorization.Parse("Basic " + Convert.ToBase64String([0xff, 0xfe, (byte)':', 0x41])));
    }

    private static string Basic(string text) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
