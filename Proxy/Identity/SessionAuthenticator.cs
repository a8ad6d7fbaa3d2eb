using System.Net;
using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Sessions;
using AgentCluster.Proxy.Egress;
using Microsoft.Extensions.Primitives;

namespace AgentCluster.Proxy.Identity;

/// <summary>
/// Asks the session grain on every request, with no cache: a killed session's credential stops
/// working with the next request, and the grain call costs well under a millisecond.
/// </summary>
public sealed class SessionAuthenticator(IClusterClient cluster, EgressOptions options)
{
    /// <summary>The live session's policy, or null: no, bad or dead credential, or (when required) the wrong source address.</summary>
    public async Task<EgressPolicy?> Authenticate(StringValues proxyAuthorization, IPAddress? source)
    {
        if (ProxyAuthorization.Parse(proxyAuthorization) is not { } credential)
            return null;
        var policy = await cluster.GetGrain<ISessionGrain>(credential.SessionId).AuthorizeEgress(ProxyCredentials.Hash(credential.Secret));
        return policy is null || !options.RequireContainerAddress || FromContainer(policy, source) ? policy : null;
    }

    private static bool FromContainer(EgressPolicy policy, IPAddress? source) =>
        source is not null && IPAddress.TryParse(policy.ContainerIp, out var container)
        && (source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source).Equals(container);
}
