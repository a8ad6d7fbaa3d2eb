using System.Net;
using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Sessions;
using AgentCluster.Proxy.Egress;
using AgentCluster.Proxy.Leases;
using Microsoft.Extensions.Primitives;

namespace AgentCluster.Proxy.Identity;

/// <summary>
/// Asks the session grain, or reuses its last answer: a kill reaches <see cref="LeasedAnswers"/>
/// before it is acknowledged, so a killed session's credential still stops working at once.
/// </summary>
public sealed class SessionAuthenticator(IClusterClient cluster, LeasedAnswers answers, EgressOptions options)
{
    /// <summary>The live session's policy, or null: no, bad or dead credential, or (when required) the wrong source address.</summary>
    public async Task<EgressPolicy?> Authenticate(StringValues proxyAuthorization, IPAddress? source) =>
        (await Authenticate(proxyAuthorization, source, static () => true)).Policy;

    /// <summary>
    /// As above, but the session grain is asked only when <paramref name="mayAsk"/> says so; a
    /// credential with no live answer held is then <c>Throttled</c>, and nothing was asked.
    /// </summary>
    public async Task<(EgressPolicy? Policy, bool Throttled)> Authenticate(StringValues proxyAuthorization, IPAddress? source, Func<bool> mayAsk)
    {
        if (ProxyAuthorization.Parse(proxyAuthorization) is not { } credential)
            return (null, false);
        var hash = ProxyCredentials.Hash(credential.Secret);
        var throttled = false;
        var policy = await answers.Policy(credential.SessionId, hash, () =>
        {
            if (mayAsk())
                return cluster.GetGrain<ISessionGrain>(credential.SessionId).AuthorizeEgress(hash);
            throttled = true;
            return Task.FromResult<EgressPolicy?>(null);
        });
        return (policy is null || !options.RequireContainerAddress || FromContainer(policy, source) ? policy : null, throttled);
    }

    private static bool FromContainer(EgressPolicy policy, IPAddress? source) =>
        source is not null && IPAddress.TryParse(policy.ContainerIp, out var container)
        && (source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source).Equals(container);
}
