using AgentCluster.Grains.Egress;

namespace AgentCluster.Proxy.Egress.Allowlist;

/// <summary>Deny by default: a target passes only when one of the session's entries names its host and port.</summary>
public static class SessionAllowlist
{
    public static bool Allows(IEnumerable<string> entries, Authority target) =>
        entries.Any(e => AllowEntry.Parse(e, out _)?.Allows(target.Host, target.Port) == true);
}
