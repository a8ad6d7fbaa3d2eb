using System.Net;
using System.Net.Sockets;
using AgentCluster.Grains.Egress;
using AgentCluster.Proxy.Egress.Addresses;

namespace AgentCluster.Tests.Unit.Proxy.Egress.Addresses;

/// <summary>Names that resolve to refused addresses, with a stand-in resolver: no lookup, no connection.</summary>
public sealed class TargetResolverTests
{
    private static TargetResolver With(params string[] addresses) =>
        new(new AddressGuard([], []), (_, _) => Task.FromResult(addresses.Select(IPAddress.Parse).ToArray()));

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("169.254.169.254", "cloud-metadata")]
    [InlineData("::ffff:10.0.0.1", "ipv4-mapped")]
    [InlineData("fd00:ec2::254", "cloud-metadata")]
    [InlineData("100.64.1.1", "cgnat")]
    public async Task A_name_that_resolves_to_a_refused_address_is_refused(string address, string reason)
    {
        var result = await With(address).Check(new Authority("rebind.example.com", 443), CancellationToken.None);
        Assert.Null(result.Endpoint);
        Assert.Equal(reason, result.Refusal);
    }

    [Fact]
    public async Task Of_several_addresses_the_first_allowed_one_is_the_one_connected_to()
    {
        var result = await With("10.0.0.1", "93.184.216.34", "8.8.8.8").Check(new Authority("mixed.example.com", 8443), CancellationToken.None);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("93.184.216.34"), 8443), result.Endpoint);
    }

    [Fact]
    public async Task No_address_or_a_failed_lookup_is_refused()
    {
        Assert.Equal("dns-no-address", (await With().Check(new Authority("empty.example.com", 80), CancellationToken.None)).Refusal);
        var failing = new TargetResolver(new AddressGuard([], []), (_, _) => throw new SocketException((int)SocketError.HostNotFound));
        Assert.Equal("dns-failure", (await failing.Check(new Authority("nx.example.com", 80), CancellationToken.None)).Refusal);
    }

    [Fact]
    public async Task An_ip_literal_is_never_looked_up()
    {
        var resolver = new TargetResolver(new AddressGuard([], []), (_, _) => throw new InvalidOperationException("looked up"));
        Assert.Equal("loopback", (await resolver.Check(new Authority("127.0.0.1", 80), CancellationToken.None)).Refusal);
        Assert.Equal("cloud-metadata", (await resolver.Check(new Authority("169.254.169.254", 80), CancellationToken.None)).Refusal);
    }
}
