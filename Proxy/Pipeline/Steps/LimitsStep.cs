using AgentCluster.Proxy.Limits;

namespace AgentCluster.Proxy.Pipeline.Steps;

/// <summary>The session's caps on requests in flight and rate; the slot is the exchange's until it is disposed.</summary>
public sealed class LimitsStep(SessionLimits limits) : IEgressStep
{
    public ValueTask<EgressRefusal?> Check(EgressExchange exchange)
    {
        if (limits.TryEnter(exchange.Session.SessionId, out var limited) is not { } slot)
            return ValueTask.FromResult<EgressRefusal?>(new(StatusCodes.Status429TooManyRequests, "rate-limited", limited!));
        exchange.Hold(slot);
        return ValueTask.FromResult<EgressRefusal?>(null);
    }
}
