using System.Collections.Immutable;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Egress;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Sessions;

public sealed partial class SessionGrain
{
    /// <summary>How long the proxy's check of the session's own credential waits for a start under way to end.</summary>
    public static readonly TimeSpan EgressStartPatience = TimeSpan.FromSeconds(10);

    private TaskCompletionSource? _started;

    public async Task<EgressPolicy?> AuthorizeEgress(string secretHash)
    {
        // A desktop's browser asks as soon as configure hands it the credential, and its first page
        // (a claim's, at once) comes just before the session is Ready. Answered "no", the proxy
        // says 407 and the browser prompts for a proxy password; so the session's own credential
        // waits for the start to end. Any other secret is answered at once.
        if (Exists && S.Status == SessionStatus.Starting && Matches(secretHash))
        {
            _started ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                await _started.Task.WaitAsync(EgressStartPatience);
            }
            catch (TimeoutException)
            {
                // Still starting: refused as any session that is not Ready.
            }
        }
        // Proxies cache this answer; every change that could make it wrong goes through ForgetEgress first.
        var live = Exists && S.Status == SessionStatus.Ready && clock.GetUtcNow() < S.Deadline && Matches(secretHash);
        return live
            ? new EgressPolicy(Id, S.Tenant!, [.. S.AllowHosts], S.ContainerIp) { InterceptHosts = InterceptHosts(), InspectTls = S.InspectTls, Expires = S.Deadline, GrantHashes = LiveGrants() }
            : null;
    }

    private bool Matches(string secretHash) => S.ProxyCredentialHash is { } stored && ProxyCredentials.Matches(stored, secretHash);

    /// <summary>The start is over (Ready, Failed or killed): the checks that waited for it answer.</summary>
    private void StartEnded()
    {
        _started?.TrySetResult();
        _started = null;
    }

    public Task<bool> HoldsGrant(string tokenHash) =>
        Task.FromResult(Exists && !Ended && S.HeldGrants.TryGetValue(tokenHash, out var grant) && grant.Expires > clock.GetUtcNow());

    private ImmutableArray<string> LiveGrants()
    {
        var now = clock.GetUtcNow();
        return [.. S.HeldGrants.Where(g => g.Value.Expires > now).Select(g => g.Key)];
    }

    public async Task<SessionChangeResult> ChangeAllowHosts(ImmutableArray<string> allow, ImmutableArray<string> deny, string actor)
    {
        if (Refusal(SessionRules.AllowlistChangeErrors(allow, deny)) is { } refused)
            return refused;
        (allow, deny) = (SessionRules.CanonicalAllowHosts(allow), SessionRules.CanonicalAllowHosts(deny));
        var before = S.AllowHosts.ToList();
        S.AllowHosts.RemoveAll(entry => deny.Any(d => Denies(d, entry)));
        foreach (var entry in allow.Where(a => !S.AllowHosts.Contains(a)))
            S.AllowHosts.Add(entry);
        var added = S.AllowHosts.Except(before).ToList();
        var removed = before.Except(S.AllowHosts).ToList();
        if (added.Count == 0 && removed.Count == 0)
            return Applied();
        await state.WriteStateAsync();
        await ForgetEgress();
        await Audit(actor, AuditKinds.SessionAllowlistChanged, AuditOutcomes.Success, "",
            ("added", string.Join(',', added)), ("removed", string.Join(',', removed)));
        return Applied();
    }

    /// <summary>
    /// Every proxy drops what it cached about this session before the change that calls this is
    /// acknowledged. A registry that cannot be reached is logged, not thrown: the change stands
    /// and the proxies' leases bound what they keep trusting.
    /// </summary>
    private async Task ForgetEgress()
    {
        try
        {
            await GrainFactory.GetGrain<IEgressProxyRegistryGrain>(IEgressProxyRegistryGrain.Key).Forget(Id);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Session {Session}: the egress proxies could not be told of a change", Id);
        }
    }

    /// <summary><c>host</c> takes the host's entries on every port; <c>host:port</c> only that one.</summary>
    private static bool Denies(string deny, string entry)
    {
        if (AllowEntry.Parse(deny, out _) is not { } d || AllowEntry.Parse(entry, out _) is not { } e)
            return deny == entry;
        return d.Host == e.Host && d.Wildcard == e.Wildcard && (d.Port is null || d.Port == e.Port);
    }

    /// <summary>The hosts the session's unexpired grants are bound to: the proxy terminates TLS for these, so their stubs can be swapped.</summary>
    private ImmutableArray<string> InterceptHosts()
    {
        var now = clock.GetUtcNow();
        return [.. S.HeldGrants.Values.Where(g => g.Expires > now).SelectMany(g => g.Hosts).Distinct(StringComparer.Ordinal)];
    }
}
