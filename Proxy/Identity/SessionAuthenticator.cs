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
    public async Task<EgressPolicy?> Authenticate(StringValues proxyAuthorization, IPAddress? source) =>
        (await Authenticate(proxyAuthorization, source, static () => true)).Policy;

    /// <summary>
    /// As above, but the cluster is asked only when <paramref name="mayAsk"/> says so; a credential
    /// with no live answer (or pooled binding) held is then <c>Throttled</c>, and nothing was asked.
    /// </summary>
    public async Task<(EgressPolicy? Policy, bool Throttled)> Authenticate(StringValues proxyAuthorization, IPAddress? source, Func<bool> mayAsk)
    {
        var throttled = false;
        bool Gate()
        {
            throttled |= !mayAsk();
            return !throttled;
        }
        var policy = await Ask(proxyAuthorization, source, Gate,
            (sessionId, hash, ask) => answers.Policy(sessionId, hash, () => Gate() ? ask() : Task.FromResult<EgressPolicy?>(null)));
        return (policy, throttled);
    }

    /// <summary>As <see cref="Authenticate(StringValues, IPAddress?)"/>, but asked of the session grain itself, never a reused answer.</summary>
    public Task<EgressPolicy?> Recheck(StringValues proxyAuthorization, IPAddress? source) =>
        Ask(proxyAuthorization, source, static () => true, (_, _, ask) => ask());

    private async Task<EgressPolicy?> Ask(StringValues proxyAuthorization, IPAddress? source, Func<bool> mayAsk,
        Func<string, string, Func<Task<EgressPolicy?>>, Task<EgressPolicy?>> through)
    {
        if (ProxyAuthorization.Parse(proxyAuthorization) is not { } credential)
            return null;
        // A pooled container's credential stands for the session its claim bound it to, if any yet.
        var session = PooledCredentials.IsValid(credential.User) ? await pooled.SessionOf(credential.User, mayAsk) : credential.User;
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
