using AgentCluster.Grains.Egress;
using AgentCluster.Proxy.Forwarding;

namespace AgentCluster.Tests.Unit.Proxy.Forwarding;

/// <summary>The proxy's parser of absolute-form targets (<c>GET http://host/path</c>).</summary>
public sealed class AbsoluteTargetTests
{
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
}
