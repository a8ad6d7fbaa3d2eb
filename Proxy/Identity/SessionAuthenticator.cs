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
public sealed class SessionAuthenticator(IClusterClient cluster, LeasedAnswers answers, PooledBindings pooled, EgressOptions options)
{
    /// <summary>The live session's policy, or null: no, bad or dead credential, or (when required) the wrong source address.</summary>
    public Task<EgressPolicy?> Authenticate(StringValues proxyAuthorization, IPAddress? source) =>
        Ask(proxyAuthorization, source, (sessionId, hash, ask) => answers.Policy(sessionId, hash, ask));

    /// <summary>As <see cref="Authenticate"/>, but asked of the session grain itself, never a reused answer.</summary>
    public Task<EgressPolicy?> Recheck(StringValues proxyAuthorization, IPAddress? source) =>
        Ask(proxyAuthorization, source, (_, _, ask) => ask());

    private async Task<EgressPolicy?> Ask(StringValues proxyAuthorization, IPAddress? source,
        Func<string, string, Func<Task<EgressPolicy?>>, Task<EgressPolicy?>> through)
    {
        if (ProxyAuthorization.Parse(proxyAuthorization) is not { } credential)
            return null;
        // A pooled container's credential stands for the session its claim bound it to, if any yet.
        var session = PooledCredentials.IsValid(credential.User) ? await pooled.SessionOf(credential.User) : credential.User;
        if (session is null)
            return null;
        var hash = ProxyCredentials.Hash(credential.Secret);
        var policy = await through(session, hash, () => cluster.GetGrain<ISessionGrain>(session).AuthorizeEgress(hash));
        return policy is null || !options.RequireContainerAddress || FromContainer(policy, source) ? policy : null;
    }

    private static bool FromContainer(EgressPolicy policy, IPAddress? source) =>
        source is not null && IPAddress.TryParse(policy.ContainerIp, out var container)
        && (source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source).Equals(container);
}
