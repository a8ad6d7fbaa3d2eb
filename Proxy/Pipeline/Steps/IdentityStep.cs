using AgentCluster.Proxy.Identity;
using AgentCluster.Proxy.Limits;

namespace AgentCluster.Proxy.Pipeline.Steps;

/// <summary>
/// Who asks, before anything about what they ask: the source's caps first (whoever it claims to
/// be), then the credential against the session grain, from the session's container address. A
/// caller the proxy does not know learns nothing but 407, or 429 once its source has failed too often.
/// </summary>
public sealed class IdentityStep(SessionAuthenticator authenticator, SourceLimits sources) : IEgressStep
{
    public async ValueTask<EgressRefusal?> Check(EgressExchange exchange)
    {
        if (!sources.TryRequest(exchange.Source))
            return new(StatusCodes.Status429TooManyRequests, "rate-limited", "source-rate-limit");
        if (exchange.ProxyAuthorization.Count == 0)
            return Failed(exchange, "no-credential");
        var (policy, throttled) = await authenticator.Authenticate(exchange.ProxyAuthorization, exchange.Source, () => sources.MayAsk(exchange.Source));
        if (throttled)
            return new(StatusCodes.Status429TooManyRequests, "rate-limited", "source-auth-failures");
        exchange.Policy = policy;
        return policy is null ? Failed(exchange, "bad-or-dead-credential") : null;
    }

    private EgressRefusal Failed(EgressExchange exchange, string reason)
    {
        sources.Failed(exchange.Source);
        return EgressRefusal.ProxyAuthRequired(reason);
    }
}
