using AgentCluster.Proxy.Approvals;

namespace AgentCluster.Proxy.Pipeline.Steps;

/// <summary>
/// The HTTP approval gate, last: it may hold a request while an approval is pending, so it runs
/// only for one that passed everything else. A CONNECT passes; the requests inside an
/// intercepted one are each gated.
/// </summary>
public sealed class GateStep(IRequestGate gate) : IEgressStep
{
    public async ValueTask<EgressRefusal?> Check(EgressExchange exchange) =>
        exchange is HttpExchange http && await gate.Refusal(exchange.Session, http.Context, exchange.RequiredTarget, exchange.Aborted) is { } gated
            ? gated == IRequestGate.TooManyPending ? new(StatusCodes.Status429TooManyRequests, "rate-limited", gated) : EgressRefusal.Denied(gated)
            : null;
}
