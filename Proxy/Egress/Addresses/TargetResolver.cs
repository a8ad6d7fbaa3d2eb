using System.Net;
using System.Net.Sockets;
using AgentCluster.Grains.Egress;

namespace AgentCluster.Proxy.Egress.Addresses;

/// <summary>An address the guard let through, or why none was.</summary>
public sealed record CheckedTarget(IPEndPoint? Endpoint, string? Refusal);

/// <summary>
/// Resolves a target with the system resolver (so /etc/hosts counts) and keeps the first address
/// the guard allows. The connection then goes to exactly that address: no second lookup can rebind it.
/// </summary>
public sealed class TargetResolver(AddressGuard guard, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve = resolve ?? Dns.GetHostAddressesAsync;

    public async Task<CheckedTarget> Check(Authority target, CancellationToken ct)
    {
        IPAddress[] addresses;
        if (IpLiterals.TryParse(target.Host, out var literal, out _))
        {
            addresses = [literal!];
        }
        else
        {
            try
            {
                addresses = await _resolve(target.Host, ct);
            }
            catch (SocketException)
            {
                return new(null, "dns-failure");
            }
        }
        string? first = null;
        foreach (var address in addresses)
        {
            if (guard.Refusal(address, target.Port) is not { } refusal)
                return new(new IPEndPoint(address, target.Port), null);
            first ??= refusal;
        }
        return new(null, first ?? "dns-no-address");
    }
}
