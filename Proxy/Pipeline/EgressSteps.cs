using AgentCluster.Proxy.Audit;
using AgentCluster.Proxy.Pipeline.Steps;

namespace AgentCluster.Proxy.Pipeline;

/// <summary>
/// The one ordered list of egress checks that a plain request, a CONNECT and every request inside
/// an intercepted CONNECT all run. The order is part of the security: who asks before anything
/// about what they ask; the cheap, local refusals before a DNS lookup; the body read whole before
/// anything looks into it; the gate, which may hold a request for minutes, last. Nothing leaves
/// for an upstream until every step has passed: the caller connects only after <see cref="Pass"/>.
/// </summary>
public sealed class EgressSteps
{
    private readonly IReadOnlyList<IEgressStep> _steps;
    private readonly EgressAudit _audit;

    public EgressSteps(IdentityStep identity, ShapeStep shape, LimitsStep limits, AllowlistStep allowlist, AddressStep address,
        BodyStep body, CredentialStep credential, UpgradeStep upgrade, GateStep gate, EgressAudit audit)
        : this([identity, shape, limits, allowlist, address, body, credential, upgrade, gate], audit)
    {
    }

    internal EgressSteps(IReadOnlyList<IEgressStep> steps, EgressAudit audit)
    {
        _steps = steps;
        _audit = audit;
    }

    /// <summary>The steps, in the order they run.</summary>
    public IReadOnlyList<IEgressStep> Steps => _steps;

    /// <summary>The first refusal, or null when every step passed.</summary>
    public async Task<EgressRefusal?> Refusal(EgressExchange exchange)
    {
        foreach (var step in _steps)
        {
            if (await step.Check(exchange) is { } refusal)
                return refusal;
        }
        return null;
    }

    /// <summary>True when every step passed; otherwise the client has its refusal and the audit its real reason.</summary>
    public async Task<bool> Pass(EgressExchange exchange)
    {
        if (await Refusal(exchange) is not { } refusal)
            return true;
        await exchange.Answer(refusal);
        _audit.Record(exchange.Decision(refusal.Status, 0, 0, "denied", refusal.Reason));
        return false;
    }
}
