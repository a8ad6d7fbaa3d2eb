using AgentCluster.Grains.Egress;

namespace AgentCluster.Proxy.Approvals;

/// <summary>
/// The HTTP approval gate's place in the pipeline: asked after identity, allowlist and address
/// checks, just before forwarding. It may hold the request (while an approval is pending) and
/// returns null to forward or the audit reason to refuse with 403.
/// </summary>
public interface IRequestGate
{
    Task<string?> Refusal(EgressPolicy policy, HttpContext context, Authority target, CancellationToken ct);
}
