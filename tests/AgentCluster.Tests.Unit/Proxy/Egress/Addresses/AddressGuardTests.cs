using System.Net;
using AgentCluster.Proxy.Egress.Addresses;

namespace AgentCluster.Tests.Unit.Proxy.Egress.Addresses;

/// <summary>Every refused class, proven on the classifier alone: no test here opens a connection.</summary>
public sealed class AddressGuardTests
{
    private static readonly AddressGuard Default = new([], []);

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.255.254", "loopback")]
    [InlineData("10.0.0.1", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("169.254.1.1", "link-local")]
    [InlineData("169.254.169.254", "cloud-metadata")]
    [InlineData("169.254.170.2", "cloud-metadata")]
    [InlineData("100.100.100.200", "cloud-metadata")]
    [InlineData("168.63.129.16", "cloud-metadata")]
    [InlineData("192.0.0.192", "cloud-metadata")]
    [InlineData("100.64.0.1", "cgnat")]
    [InlineData("100.127.255.255", "cgnat")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("0.1.2.3", "unspecified")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("240.0.0.1", "reserved")]
    [InlineData("255.255.255.255", "reserved")]
    [InlineData("192.0.2.10", "documentation")]
    [InlineData("198.51.100.10", "documentation")]
    [InlineData("203.0.113.10", "documentation")]
    [InlineData("198.18.0.1", "benchmarking")]
    [InlineData("198.19.255.255", "benchmarking")]
    [InlineData("192.88.99.1", "6to4-relay")]
    [InlineData("::", "unspecified")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "ipv4-mapped")]
    [InlineData("::ffff:10.0.0.1", "ipv4-mapped")]
    [InlineData("::ffff:8.8.8.8", "ipv4-mapped")]
    [InlineData("::ffff:169.254.169.254", "cloud-metadata")]
    [InlineData("::127.0.0.1", "ipv4-compatible")]
    [InlineData("64:ff9b::a00:1", "nat64")]
    [InlineData("64:ff9b::7f00:1", "nat64")]
    [InlineData("64:ff9b:1::1", "nat64")]
    [InlineData("2002:7f00:1::1", "6to4")]
    [InlineData("2002:a00:1::", "6to4")]
    [InlineData("2001:0:4136:e378:8000:63bf:80ff:fffe", "teredo")]
    [InlineData("2001:2::1", "ietf-protocol")]
    [InlineData("2001:db8::1", "documentation")]
    [InlineData("3fff::1", "documentation")]
    [InlineData("fc00::1", "unique-local")]
    [InlineData("fd12:3456::1", "unique-local")]
    [InlineData("fd00:ec2::254", "cloud-metadata")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fe80::1%2", "link-local")]
    [InlineData("fec0::1", "site-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("100::1", "discard")]
    [InlineData("4000::1", "not-global-unicast")]
    public void Refused_classes_say_why(string address, string reason) =>
        Assert.Equal(reason, Default.Refusal(IPAddress.Parse(address), 443));

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001::200e")]
    public void Public_addresses_pass(string address) =>
        Assert.Null(Default.Refusal(IPAddress.Parse(address), 443));

    [Fact]
    public void An_allowed_range_opens_its_class_and_nothing_else()
    {
        var guard = new AddressGuard(["127.0.0.0/8"], []);
        Assert.Null(guard.Refusal(IPAddress.Loopback, 8080));
        Assert.Equal("loopback", guard.Refusal(IPAddress.IPv6Loopback, 8080));
        Assert.Equal("private", guard.Refusal(IPAddress.Parse("10.0.0.1"), 8080));
    }

    [Fact]
    public void Metadata_stays_refused_inside_an_allowed_range()
    {
        var guard = new AddressGuard(["169.254.0.0/16", "0.0.0.0/0"], []);
        Assert.Equal("cloud-metadata", guard.Refusal(IPAddress.Parse("169.254.169.254"), 80));
        Assert.Null(guard.Refusal(IPAddress.Parse("169.254.1.1"), 80));
    }

    [Fact]
    public void The_proxy_itself_is_refused_even_when_its_range_is_allowed()
    {
        var guard = new AddressGuard(["127.0.0.0/8"], [new IPEndPoint(IPAddress.Loopback, 8443)]);
        Assert.Equal("proxy-itself", guard.Refusal(IPAddress.Loopback, 8443));
        Assert.Equal("proxy-itself", guard.Refusal(IPAddress.Parse("::ffff:127.0.0.1"), 8443));
        Assert.Null(guard.Refusal(IPAddress.Loopback, 8080));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.9.9.9")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("10.211.0.1")]
    [InlineData("192.168.7.20")]
    [InlineData("fe80::1%2")]
    public void No_allowed_range_opens_the_clusters_own_ports_on_this_machine(string address)
    {
        var guard = new AddressGuard(["0.0.0.0/0", "::/0"], [], [5080, 11111], [IPAddress.Parse("10.211.0.1"), IPAddress.Parse("192.168.7.20"), IPAddress.Parse("fe80::1")]);

        Assert.Equal("cluster-port", guard.Refusal(IPAddress.Parse(address), 5080));
        Assert.Equal("cluster-port", guard.Refusal(IPAddress.Parse(address), 11111));
    }

    [Fact]
    public void The_clusters_ports_elsewhere_and_other_ports_here_are_left_to_the_allowed_ranges()
    {
        var guard = new AddressGuard(["127.0.0.0/8", "10.0.0.0/8"], [], [5080], [IPAddress.Parse("10.211.0.1")]);

        Assert.Null(guard.Refusal(IPAddress.Loopback, 8080));
        Assert.Null(guard.Refusal(IPAddress.Parse("10.9.9.9"), 5080));
        Assert.Equal("private", guard.Refusal(IPAddress.Parse("192.168.1.1"), 5080));
        Assert.Equal("loopback", new AddressGuard([], [], [5080], []).Refusal(IPAddress.Loopback, 8080));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("not-a-range")]
    [InlineData("10.0.0.0/33")]
    public void A_bad_allowed_range_is_an_error_not_ignored(string range) =>
        Assert.Throws<ArgumentException>(() => new AddressGuard([range], []));
}
