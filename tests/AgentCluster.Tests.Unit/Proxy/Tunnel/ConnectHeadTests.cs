using AgentCluster.Grains.Egress;
using AgentCluster.Proxy.Tunnel;

namespace AgentCluster.Tests.Unit.Proxy.Tunnel;

/// <summary>The proxy's parser of CONNECT heads.</summary>
public sealed class ConnectHeadTests
{
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
}
