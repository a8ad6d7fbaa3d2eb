using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Sessions;
using Microsoft.Extensions.Primitives;

namespace AgentCluster.Proxy.Identity;

/// <summary>
/// Asks the session grain on every request, with no cache: a killed session's credential stops
/// working with the next request, and the grain call costs well under a millisecond.
/// </summary>
public sealed class SessionAuthenticator(IClusterClient cluster)
{
    public async Task<EgressPolicy?> Authenticate(StringValues proxyAuthorization)
    {
        if (ProxyAuthorization.Parse(proxyAuthorization) is not { } credential)
            return null;
        return await cluster.GetGrain<ISessionGrain>(credential.SessionId).AuthorizeEgress(ProxyCredentials.Hash(credential.Secret));
    }
}
