using System.Net;
using System.Net.Sockets;

namespace AgentCluster.Proxy.Egress.Addresses;

/// <summary>
/// Decides whether the proxy may open a connection to an address. Pure: it never connects or
/// resolves, so every class of address can be proven by unit tests alone.
/// </summary>
public sealed class AddressGuard
{
    private readonly IReadOnlyList<IPNetwork> _allowed;
    private readonly IReadOnlySet<IPEndPoint> _self;

    /// <param name="allowedRanges">The admin override (CIDR); a bad entry is an error at start, never ignored.</param>
    /// <param name="self">The proxy's own listening endpoints (an any-address listener given as each interface's address): never a target, whatever is allowed.</param>
    public AddressGuard(IEnumerable<string> allowedRanges, IEnumerable<IPEndPoint> self)
    {
        _allowed = [.. allowedRanges.Select(ParseRange)];
        _self = self.ToHashSet();
    }

    public static AddressGuard DenyAll { get; } = new([], []);

    /// <summary>Null when the connection may be opened; else the reason for the audit.</summary>
    public string? Refusal(IPAddress address, int port)
    {
        if (address.IsIPv4MappedToIPv6 && IsSelf(address.MapToIPv4(), port) || IsSelf(address, port))
            return "proxy-itself";
        // A zone id names an interface, not another address.
        var plain = address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0
            ? new IPAddress(address.GetAddressBytes()) : address;
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
