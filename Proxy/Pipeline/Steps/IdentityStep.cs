using AgentCluster.Proxy.Identity;

namespace AgentCluster.Proxy.Pipeline.Steps;

/// <summary>
/// Who asks, before anything about what they ask: the credential against the session grain, from
/// the session's container address. A caller the proxy does not know learns nothing but 407.
/// </summary>
public sealed class IdentityStep(SessionAuthenticator authenticator) : IEgressStep
{
    public async ValueTask<EgressRefusal?> Check(EgressExchange exchange)
    {
        if (exchange.ProxyAuthorization.Count == 0)
            return EgressRefusal.ProxyAuthRequired("no-credential");
        exchange.Policy = await authenticator.Authenticate(exchange.ProxyAuthorization, exchange.Source);
        return exchange.Policy is null ? EgressRefusal.ProxyAuthRequired("bad-or-dead-credential") : null;
    }
}
