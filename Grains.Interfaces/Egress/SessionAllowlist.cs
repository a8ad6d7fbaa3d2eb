using System.Runtime.CompilerServices;

namespace AgentCluster.Grains.Egress;

/// <summary>
/// Deny by default: a target passes only when one of the session's entries names its host and
/// port. The one matcher of the allowlist: the egress proxy checks every request with it, and the
/// computer API every navigate, before it reaches the browser.
/// </summary>
public static class SessionAllowlist
{
    // A remembered answer is one policy object reused by every request of its session: its entries
    // are parsed once for it, and the parse goes when the policy does.
    private static readonly ConditionalWeakTable<EgressPolicy, AllowEntry[]> Parsed = new();

    public static bool Allows(EgressPolicy policy, Authority target) =>
        Allows(Parsed.GetValue(policy, p => Entries(p.AllowHosts)), target);

    /// <summary>Against canonical entries as a session keeps them; one that does not parse allows nothing.</summary>
    public static bool Allows(IEnumerable<string> allowHosts, Authority target) => Allows(Entries(allowHosts), target);

    private static AllowEntry[] Entries(IEnumerable<string> allowHosts) =>
        [.. allowHosts.Select(e => AllowEntry.Parse(e, out _)).OfType<AllowEntry>()];

    private static bool Allows(AllowEntry[] entries, Authority target)
    {
        foreach (var entry in entries)
        {
            if (entry.Allows(target.Host, target.Port))
                return true;
        }
        return false;
    }
}
