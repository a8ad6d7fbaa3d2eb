using AgentCluster.Grains.Egress;

namespace AgentCluster.Tests.Unit.Grains.Interfaces.Egress;

public sealed class AllowlistTests
{
    [Theory]
    [InlineData("api.example.com", "api.example.com", 443, true)]
    [InlineData("api.example.com", "api.example.com", 80, true)]
    [InlineData("api.example.com", "api.example.com", 8080, false)]
    [InlineData("api.example.com:8443", "api.example.com", 8443, true)]
    [InlineData("api.example.com:8443", "api.example.com", 443, false)]
    [InlineData("api.example.com", "other.example.com", 443, false)]
    [InlineData("api.example.com", "evil-api.example.com", 443, false)]
    [InlineData("api.example.com", "api.example.com.evil.com", 443, false)]
    [InlineData("*.example.com", "a.example.com", 443, true)]
    [InlineData("*.example.com", "a.b.example.com", 443, true)]
    [InlineData("*.example.com", "example.com", 443, false)]
    [InlineData("*.example.com", "badexample.com", 443, false)]
    [InlineData("*.example.com:9000", "a.example.com", 9000, true)]
    [InlineData("*.example.com:9000", "a.example.com", 443, false)]
    [InlineData("API.Example.COM.", "api.example.com", 443, true)]
    [InlineData("münchen.de", "xn--mnchen-3ya.de", 443, true)]
    [InlineData("127.0.0.1:8080", "127.0.0.1", 8080, true)]
    [InlineData("2130706433:8080", "127.0.0.1", 8080, true)]
    [InlineData("[::1]:8080", "::1", 8080, true)]
    public void Entries_match_exactly_or_by_suffix_and_port(string entry, string host, int port, bool allowed)
    {
        var parsed = AllowEntry.Parse(entry, out var error);
        Assert.True(parsed is not null, error);
        Assert.Equal(allowed, parsed.Allows(host, port));
    }

    [Theory]
    [InlineData("API.Example.com.:443", "api.example.com:443")]
    [InlineData("*.Example.com", "*.example.com")]
    [InlineData("0x7f.1:80", "127.0.0.1:80")]
    [InlineData("[0:0::1]:8080", "[::1]:8080")]
    public void Entries_are_stored_in_their_canonical_form(string entry, string canonical) =>
        Assert.Equal(canonical, AllowEntry.Parse(entry, out _)?.ToString());

    [Theory]
    [InlineData("")]
    [InlineData("api.example.com:0")]
    [InlineData("api.example.com:65536")]
    [InlineData("api.example.com:99999")]
    [InlineData("api.example.com:-1")]
    [InlineData("api.example.com:+80")]
    [InlineData("api.example.com:0x50")]
    [InlineData("api.example.com:")]
    [InlineData("api.example.com:80:80")]
    [InlineData("*.com")]
    [InlineData("*.127.0.0.1")]
    [InlineData("*")]
    [InlineData("**.example.com")]
    [InlineData("a.*.example.com")]
    [InlineData("::1")]
    [InlineData("[::1]x")]
    [InlineData("http://example.com")]
    [InlineData("example.com/path")]
    public void Bad_entries_are_refused(string entry)
    {
        Assert.Null(AllowEntry.Parse(entry, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("example.com:443", "example.com", 443)]
    [InlineData("[2001:db8::1]:8443", "2001:db8::1", 8443)]
    [InlineData("0177.1:80", "127.0.0.1", 80)]
    public void Authorities_split_into_host_and_port(string raw, string host, int port) =>
        Assert.Equal(new Authority(host, port), Authority.Parse(raw, 0, out _));

    [Theory]
    [InlineData("example.com")]
    [InlineData("example.com:0")]
    [InlineData("example.com:65536")]
    [InlineData("2001:db8::1:443")]
    public void A_connect_authority_needs_a_port_in_range(string raw) =>
        Assert.Null(Authority.Parse(raw, 0, out _));
}
