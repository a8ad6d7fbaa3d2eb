using AgentCluster.Grains.Egress;
using AgentCluster.Proxy.Credentials;
using AgentCluster.Proxy.Identity;

namespace AgentCluster.Proxy.Pipeline.Steps;

/// <summary>
/// A request held for approval is checked again when the approval comes, before it goes out: in
/// the minutes it waited the session may have ended, the host left the allowlist, the grant
/// expired or been revoked, or its secret been removed or replaced. Each is asked of its grain,
/// past every reused answer; the swap takes the secret as it is now.
/// </summary>
public sealed class ReleaseCheck(SessionAuthenticator sessions, StubSwap stubs)
{
    /// <summary>Null to forward, or the audit reason of the refusal.</summary>
    public async Task<string?> Refusal(HttpExchange exchange)
    {
        if (await sessions.Recheck(exchange.ProxyAuthorization, exchange.Source) is not { } policy)
            return "release-session-not-live";
        if (!SessionAllowlist.Allows(policy, exchange.RequiredTarget))
            return "release-not-allowlisted";
        exchange.Policy = policy;
        if (exchange.Swap is not { } swap)
            return null;
        var fresh = await stubs.Recheck(swap, policy, exchange.RequiredTarget, exchange.Methods.All, exchange.OverTls);
        exchange.Swap = fresh.Plan;
        return fresh.Refusal is { } refusal ? "release-" + refusal : null;
    }
}
