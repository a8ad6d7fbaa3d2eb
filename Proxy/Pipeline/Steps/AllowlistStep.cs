using AgentCluster.Grains.Egress;

namespace AgentCluster.Proxy.Pipeline.Steps;

/// <summary>Deny by default: the target's host and port must be on the session's allowlist as its grain gave it.</summary>
public sealed class AllowlistStep : IEgressStep
{
    public ValueTask<EgressRefusal?> Check(EgressExchange exchange) => ValueTask.FromResult(
        SessionAllowlist.Allows(exchange.Session, exchange.RequiredTarget) ? null : EgressRefusal.Denied("not-allowlisted"));
}
