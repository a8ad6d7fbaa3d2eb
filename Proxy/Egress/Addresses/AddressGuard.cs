using System.Net;
using System.Net.Sockets;

namespace AgentCluster.Proxy.Egress.Addresses;

/// <summary>
/// Decides whether the proxy may open a connection to an address. Pure: it never connects or
/// resolves, so every class of address can be proven by unit tests alone.
/// </summary>
public sealed class AddressGuard
{
    private static readonly IPNetwork ThisNetwork = IPNetwork.Parse("0.0.0.0/8");

    private readonly IReadOnlyList<IPNetwork> _allowed;
    private readonly IReadOnlySet<IPEndPoint> _self;
    private readonly IReadOnlySet<int> _clusterPorts;
    private readonly IReadOnlySet<IPAddress> _machine;

    /// <param name="allowedRanges">The admin override (CIDR); a bad entry is an error at start, never ignored.</param>
    /// <param name="self">The proxy's own listening endpoints (an any-address listener given as each interface's address): never a target, whatever is allowed.</param>
    /// <param name="clusterPorts">
    /// The deployment's own ports (silo, gateway, API, admin, proxy, PostgreSQL's): never a target on
    /// this machine, whatever is allowed: on loopback, on an unspecified address (which reaches the
    /// machine itself) or on one of <paramref name="machineAddresses"/>.
    /// </param>
    /// <param name="machineAddresses">This machine's own addresses, those of every interface.</param>
    public AddressGuard(IEnumerable<string> allowedRanges, IEnumerable<IPEndPoint> self,
        IEnumerable<int>? clusterPorts = null, IEnumerable<IPAddress>? machineAddresses = null)
    {
        _allowed = [.. allowedRanges.Select(ParseRange)];
        _self = self.ToHashSet();
        _clusterPorts = (clusterPorts ?? []).ToHashSet();
        _machine = (machineAddresses ?? []).Select(Plain).ToHashSet();
    }

    public static AddressGuard DenyAll { get; } = new([], []);

    /// <summary>Null when the connection may be opened; else the reason for the audit.</summary>
    public string? Refusal(IPAddress address, int port)
    {
        if (address.IsIPv4MappedToIPv6 && IsSelf(address.MapToIPv4(), port) || IsSelf(address, port))
            return "proxy-itself";
        var plain = Plain(address);
        if (_clusterPorts.Contains(port) && IsThisMachine(plain.IsIPv4MappedToIPv6 ? plain.MapToIPv4() : plain))
            return "cluster-port";
        foreach (var (range, reason) in AddressRanges.Metadata)
        {
            if (range.Contains(plain) || (plain.IsIPv4MappedToIPv6 && range.Contains(plain.MapToIPv4())))
                return reason;
        }
        // IPv4 written as IPv6 is refused outright (IPNetwork.Contains also mixes the two families up).
        if (plain.IsIPv4MappedToIPv6)
            return "ipv4-mapped";
        if (_allowed.Any(r => r.Contains(plain)))
            return null;
        return plain.AddressFamily switch
        {
            AddressFamily.InterNetwork => First(AddressRanges.V4, plain),
            AddressFamily.InterNetworkV6 => First(AddressRanges.V6, plain)
                ?? (AddressRanges.V6GlobalUnicast.Contains(plain) ? null : "not-global-unicast"),
            _ => "unknown-family",
        };
    }

    private bool IsSelf(IPAddress address, int port) => _self.Contains(new IPEndPoint(address, port));

    private bool IsThisMachine(IPAddress address) =>
        IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6Any) || ThisNetwork.Contains(address) || _machine.Contains(address);

    /// <summary>A zone id names an interface, not another address.</summary>
    private static IPAddress Plain(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()) : address;

    private static string? First(IReadOnlyList<(IPNetwork Range, string Reason)> ranges, IPAddress address)
    {
        foreach (var (range, reason) in ranges)
        {
            if (range.Contains(address))
                return reason;
        }
        return null;
    }

    private static IPNetwork ParseRange(string cidr) =>
        IPNetwork.TryParse(cidr.Trim(), out var range)
            ? range
            : throw new ArgumentException($"AgentCluster:Egress:AllowedRanges: {cidr} is not a CIDR range such as 127.0.0.0/8");
}
