using AgentCluster.Proxy.Approvals;

namespace AgentCluster.Proxy.Pipeline.Steps;

/// <summary>
/// The HTTP approval gate, last: it may hold a request while an approval is pending, so it runs
/// only for one that passed everything else, and a request it held is checked again on release
/// (<see cref="ReleaseCheck"/>). A CONNECT passes; the requests inside an intercepted one are each gated.
/// </summary>
public sealed class GateStep(IRequestGate gate, ReleaseCheck release) : IEgressStep
{
    public async ValueTask<EgressRefusal?> Check(EgressExchange exchange)
    {
        if (exchange is not HttpExchange http)
            return null;
        var request = new GatedRequest(http.Methods, http.Absolute ?? throw new InvalidOperationException("gate before the shape check"),
            http.Context.Request.Headers, http.Context.Request.Body);
        var verdict = await gate.Decide(exchange.Session, request, exchange.Aborted);
        var refusal = verdict.Refusal ?? (verdict.WasHeld ? await release.Refusal(http) : null);
        return refusal switch
        {
            null => null,
            IRequestGate.TooManyPending => new(StatusCodes.Status429TooManyRequests, "rate-limited", refusal),
            _ => EgressRefusal.Denied(refusal),
        };
    }
}
