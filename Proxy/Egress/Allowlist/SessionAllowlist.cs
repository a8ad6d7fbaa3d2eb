using System.Runtime.CompilerServices;
using AgentCluster.Grains.Egress;

namespace AgentCluster.Proxy.Egress.Allowlist;

/// <summary>Deny by default: a target passes only when one of the session's entries names its host and port.</summary>
public static class SessionAllowlist
{
    // A remembered answer is one policy object reused by every request of its session: its entries
    // are parsed once for it, and the parse goes when the policy does.
    private static readonly ConditionalWeakTable<EgressPolicy, AllowEntry[]> Parsed = new();

    public static bool Allows(EgressPolicy policy, Authority target)
    {
        foreach (var entry in Parsed.GetValue(policy, p => [.. p.AllowHosts.Select(e => AllowEntry.Parse(e, out _)).OfType<AllowEntry>()]))
        {
            if (entry.Allows(target.Host, target.Port))
                return true;
        }
        return false;
    }
}
