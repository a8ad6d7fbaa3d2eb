using AgentCluster.Grains.Egress;

namespace AgentCluster.Tests.Unit.Grains.Interfaces.Egress;

public sealed class HostNormalizationTests
{
    [Theory]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("0177.0.0.1", "127.0.0.1")]
    [InlineData("0x7f.1", "127.0.0.1")]
    [InlineData("0x7f000001", "127.0.0.1")]
    [InlineData("127.1", "127.0.0.1")]
    [InlineData("127.0.1", "127.0.0.1")]
    [InlineData("0x7F.0.0.1", "127.0.0.1")]
    [InlineData("127.0.0.1.", "127.0.0.1")]
    [InlineData("017700000001", "127.0.0.1")]
    [InlineData("0xa9fea9fe", "169.254.169.254")]
    [InlineData("2852039166", "169.254.169.254")]
    [InlineData("0251.0376.0251.0376", "169.254.169.254")]
    [InlineData("10.1", "10.0.0.1")]
    [InlineData("0", "0.0.0.0")]
    [InlineData("0x", "0.0.0.0")]
    [InlineData("[::1]", "::1")]
    [InlineData("[0:0:0:0:0:0:0:1]", "::1")]
    [InlineData("[::ffff:127.0.0.1]", "::ffff:127.0.0.1")]
    [InlineData("[::ffff:7f00:1]", "::ffff:127.0.0.1")]
    [InlineData("[fe80::1%25eth0]", "fe80::1")]
    [InlineData("[fe80::1%eth0]", "fe80::1%eth0")]
    [InlineData("[FD00:EC2::254]", "fd00:ec2::254")]
    public void Ip_literals_in_any_spelling_are_the_address_they_are(string raw, string? expected)
    {
        var host = HostNames.Normalize(raw, out var error);
        if (expected is null)
        {
            Assert.Null(host);
            Assert.NotNull(error);
        }
        else
        {
            // A zone id names an interface, not an address: the guard sees fe80::1 either way.
            Assert.Equal(expected.Split('%')[0], host?.Split('%')[0]);
        }
    }

    [Theory]
    [InlineData("Example.COM", "example.com")]
    [InlineData("example.com.", "example.com")]
    [InlineData("API.Stripe.com.", "api.stripe.com")]
    [InlineData("münchen.de", "xn--mnchen-3ya.de")]
    [InlineData("MÜNCHEN.de", "xn--mnchen-3ya.de")]
    [InlineData("xn--mnchen-3ya.de", "xn--mnchen-3ya.de")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("localhost", "localhost")]
    [InlineData("a-b.c-d.example", "a-b.c-d.example")]
    [InlineData("1.example.com", "1.example.com")]
    public void Names_have_one_spelling(string raw, string expected) =>
        Assert.Equal(expected, HostNames.Normalize(raw, out _));

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("example..com")]
    [InlineData("exa mple.com")]
    [InlineData("example.com\r\nX-Injected: 1")]
    [InlineData("exa\tmple.com")]
    [InlineData("example_underscore.com")]
    [InlineData("-example.com")]
    [InlineData("example-.com")]
    [InlineData("exam/ple.com")]
    [InlineData("user@example.com")]
    [InlineData("exa%2fmple.com")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("08.0.0.1")]
    [InlineData("0x1g.0.0.1")]
    [InlineData("4294967296")]
    [InlineData("1.2.3.256")]
    [InlineData("1.2.65536")]
    [InlineData("example.123")]
    [InlineData("[::1")]
    [InlineData("[127.0.0.1]")]
    [InlineData("[not-v6]")]
    [InlineData("[:::1]")]
    [InlineData("a\0b.com")]
    public void Bad_hosts_are_refused_with_a_reason(string raw)
    {
        Assert.Null(HostNames.Normalize(raw, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void A_label_over_63_or_a_name_over_253_is_refused()
    {
        Assert.Null(HostNames.Normalize(new string('a', 64) + ".com", out _));
        Assert.NotNull(HostNames.Normalize(new string('a', 63) + ".com", out _));
        Assert.Null(HostNames.Normalize(string.Join('.', Enumerable.Repeat(new string('a', 50), 6)), out _));
    }
}
