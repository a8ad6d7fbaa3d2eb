using AgentCluster.Proxy.Credentials;

namespace AgentCluster.Proxy.Pipeline.Steps;

/// <summary>
/// Stub tokens: what the request's stub becomes, or one opaque refusal for every stub that cannot
/// be used (the grant grain audits its own reason too). A CONNECT carries no request to swap into:
/// it passes, and an intercepted one's requests each run this step.
/// </summary>
public sealed class CredentialStep(StubSwap stubs) : IEgressStep
{
    public async ValueTask<EgressRefusal?> Check(EgressExchange exchange)
    {
        if (exchange is not HttpExchange http)
            return null;
        var swap = await stubs.Decide(http.Context, exchange.Session, exchange.RequiredTarget, http.RawTarget, http.Methods.All, http.OverTls);
        http.Swap = swap.Plan;
        return swap.Refusal is { } unavailable ? new(StatusCodes.Status403Forbidden, "credential_unavailable", unavailable) : null;
    }
}
