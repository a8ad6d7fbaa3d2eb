using AgentCluster.Grains.Egress;
using AgentCluster.Proxy.Interception;

namespace AgentCluster.Tests.Unit.Proxy.Interception;

public sealed class NameMatchTests
{
    private static readonly Authority Api = Authority.Parse("api.example.com:443", 0, out _)!.Value;
    private static readonly Authority Loopback = Authority.Parse("127.0.0.1:8443", 0, out _)!.Value;

    [Theory]
    [InlineData("api.example.com")]
    [InlineData("API.Example.COM")]
    [InlineData("api.example.com.")]
    [InlineData("")]
    [InlineData(null)]
    public void A_server_name_for_the_target_or_none_is_accepted(string? serverName) =>
        Assert.Null(NameMatch.ServerName(Api, serverName));

    [Theory]
    [InlineData("other.example.com")]
    [InlineData("x.api.example.com")]
    [InlineData("example.com")]
    [InlineData("127.0.0.1")]
    public void Another_server_name_is_refused(string serverName) =>
        Assert.Equal("sni-mismatch", NameMatch.ServerName(Api, serverName));

    [Theory]
    [InlineData("api.example.com")]
    [InlineData("api.example.com:443")]
    [InlineData("API.example.com:443")]
    public void A_host_header_naming_the_target_is_accepted(string host) => Assert.Null(NameMatch.Host(Api, host));

    [Theory]
    [InlineData("other.example.com:443")]
    [InlineData("api.example.com:8443")]
    [InlineData("api.example.com@evil.com")]
    [InlineData("127.0.0.1:443")]
    public void A_host_header_naming_anything_else_is_refused(string host) => Assert.Equal("host-mismatch", NameMatch.Host(Api, host));

    [Fact]
    public void A_missing_host_header_is_refused() => Assert.Equal("host-missing", NameMatch.Host(Api, null));

    [Theory]
    [InlineData("127.0.0.1:8443", null)]
    [InlineData("localhost:8443", "host-mismatch")]
    [InlineData("2130706433:8443", null)]
    public void An_ip_target_is_matched_as_the_ip_it_is(string host, string? expected) => Assert.Equal(expected, NameMatch.Host(Loopback, host));

    [Fact]
    public void A_policy_intercepts_exactly_its_grants_hosts_and_subdomains_of_wildcards()
    {
        var policy = new EgressPolicy("s", "t", [], null) { InterceptHosts = ["api.example.com", "*.corp.example"] };

        Assert.True(policy.Intercepts("api.example.com"));
        Assert.True(policy.Intercepts("git.corp.example"));
        Assert.False(policy.Intercepts("corp.example"));
        Assert.False(policy.Intercepts("other.example.com"));
        Assert.False(new EgressPolicy("s", "t", ["api.example.com"], null).Intercepts("api.example.com"));
    }

    [Fact]
    public void A_session_that_inspects_tls_intercepts_every_host_its_allowlist_lets_through()
    {
        var policy = new EgressPolicy("s", "t", ["shop.example", "127.0.0.1:8443"], null) { InspectTls = true };

        Assert.True(policy.Intercepts("shop.example"));
        Assert.True(policy.Intercepts("127.0.0.1"));
    }
}
