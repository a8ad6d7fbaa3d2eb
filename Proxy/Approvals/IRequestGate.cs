using AgentCluster.Grains.Egress;

namespace AgentCluster.Proxy.Approvals;

/// <summary>
/// The HTTP approval gate's place in the pipeline: asked after identity, allowlist and address
/// checks, just before forwarding. It may hold the request (while an approval is pending) and
/// returns null to forward or the audit reason to refuse with 403.
/// </summary>
public interface IRequestGate
{
    /// <summary>The refusal of a request past the session's cap on pending approvals: 429 at once, never held.</summary>
    public const string TooManyPending = "approvals-pending-limit";

    Task<string?> Refusal(EgressPolicy policy, HttpContext context, Authority target, CancellationToken ct);
}
