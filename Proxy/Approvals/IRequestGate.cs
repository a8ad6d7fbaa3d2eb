using AgentCluster.Grains.Egress;
using AgentCluster.Proxy.Forwarding;
using AgentCluster.Proxy.Requests;

namespace AgentCluster.Proxy.Approvals;

/// <summary>
/// The HTTP approval gate's place in the pipeline: asked after identity, allowlist, address and
/// credential checks, just before forwarding. It may hold the request while an approval is pending.
/// </summary>
public interface IRequestGate
{
    /// <summary>The refusal of a request past the session's cap on pending approvals: 429 at once, never held.</summary>
    public const string TooManyPending = "approvals-pending-limit";

    Task<GateVerdict> Decide(EgressPolicy policy, GatedRequest request, CancellationToken ct);
}

/// <summary>What the gate reads of a request: its methods, its canonical target, its headers and its buffered body.</summary>
public sealed record GatedRequest(EffectiveMethod Method, AbsoluteTarget Target, IHeaderDictionary Headers, Stream Body);

/// <summary>
/// The gate's answer: a refusal (the audit reason; 403, or 429 for <see cref="IRequestGate.TooManyPending"/>), or go on; <see cref="ApprovalId"/> is set
/// when the request was held and approved, so it must be checked again before it goes out.
/// </summary>
public sealed record GateVerdict(string? Refusal, string? ApprovalId)
{
    public static GateVerdict Pass { get; } = new(null, null);

    public static GateVerdict Refuse(string reason) => new(reason, null);

    public bool WasHeld => ApprovalId is not null;
}
