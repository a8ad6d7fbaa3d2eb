using System.Net;

namespace AgentCluster.Proxy.Egress.Addresses;

/// <summary>The address classes the guard refuses, each with the name its audit reason uses.</summary>
internal static class AddressRanges
{
    /// <summary>Refused even inside an admin's allowed range: nothing legitimate lives there.</summary>
    public static readonly IReadOnlyList<(IPNetwork Range, string Reason)> Metadata = Parse(
        ("169.254.169.254/32", "cloud-metadata"),
        ("169.254.170.2/32", "cloud-metadata"),    // ECS task metadata
        ("100.100.100.200/32", "cloud-metadata"),  // Alibaba
        ("168.63.129.16/32", "cloud-metadata"),    // Azure wire server (a public-looking address)
        ("192.0.0.192/32", "cloud-metadata"),      // Oracle
        ("fd00:ec2::254/128", "cloud-metadata"));  // AWS over IPv6

    public static readonly IReadOnlyList<(IPNetwork Range, string Reason)> V4 = Parse(
        ("0.0.0.0/8", "unspecified"),
        ("10.0.0.0/8", "private"),
        ("100.64.0.0/10", "cgnat"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link-local"),
        ("172.16.0.0/12", "private"),
        ("192.0.0.0/24", "ietf-protocol"),
        ("192.0.2.0/24", "documentation"),
        ("192.88.99.0/24", "6to4-relay"),
        ("192.168.0.0/16", "private"),
        ("198.18.0.0/15", "benchmarking"),
        ("198.51.100.0/24", "documentation"),
        ("203.0.113.0/24", "documentation"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"));

    /// <summary>Only global unicast (2000::/3) may pass, and not these parts of it.</summary>
    public static readonly IPNetwork V6GlobalUnicast = IPNetwork.Parse("2000::/3");

    public static readonly IReadOnlyList<(IPNetwork Range, string Reason)> V6 = Parse(
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("::ffff:0:0/96", "ipv4-mapped"),
        ("::/96", "ipv4-compatible"),
        ("64:ff9b::/96", "nat64"),
        ("64:ff9b:1::/48", "nat64"),
        ("100::/64", "discard"),
        ("2001::/32", "teredo"),
        ("2001::/23", "ietf-protocol"),
        ("2001:db8::/32", "documentation"),
        ("2002::/16", "6to4"),
        ("3fff::/20", "documentation"),
        ("fc00::/7", "unique-local"),
        ("fe80::/10", "link-local"),
        ("fec0::/10", "site-local"),
        ("ff00::/8", "multicast"));

    private static (IPNetwork, string)[] Parse(params (string Cidr, string Reason)[] ranges) =>
        [.. ranges.Select(r => (IPNetwork.Parse(r.Cidr), r.Reason))];
}
