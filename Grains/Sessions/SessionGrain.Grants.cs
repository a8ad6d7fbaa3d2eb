using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Credentials;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Sessions;

public sealed partial class SessionGrain
{
    private const string SessionEnded = "session-ended";

    public async Task<GrantIssue> RequestGrant(string resource, string action, TimeSpan? ttl, string actor)
    {
        Touch();
        var lifetime = ttl ?? S.MaxGrantTtl;
        // The audit names exactly what was refused; the caller only ever hears credential_unavailable.
        var reason = !Exists || Ended || S.Status != SessionStatus.Ready ? SessionEnded
            : !S.AllowGrants.Contains($"{resource}:{action}") ? "action-not-allowed"
            : lifetime <= TimeSpan.Zero ? "ttl-not-positive"
            : lifetime > S.MaxGrantTtl ? "ttl-too-long"
            : null;
        var metadata = reason is null ? await vault.FindAsync(S.Tenant!, resource) : null;
        if (reason is null && metadata?.Actions.Contains(action) != true)
            reason = "no-credential";
        if (reason is not null)
        {
            if (Exists)
            {
                await Audit(actor, AuditKinds.GrantDenied, AuditOutcomes.Denied, reason, ("resource", resource), ("action", action),
                    ("ttlSeconds", Seconds(lifetime)), ("maxGrantTtlSeconds", Seconds(S.MaxGrantTtl)),
                    ("allowedGrants", string.Join(",", S.AllowGrants.Order(StringComparer.Ordinal))));
            }
            return GrantIssue.Refused;
        }

        var token = GrantTokens.New();
        var hash = GrantTokens.Hash(token);
        var expires = clock.GetUtcNow() + lifetime;
        var grant = GrainFactory.GetGrain<IGrantGrain>(hash);
        var intercepted = InterceptHosts();
        S.HeldGrants[hash] = new HeldGrant(expires, [.. metadata!.Hosts]);
        try
        {
            // Three independent writes; the token is returned only once all of them are durable.
            await Task.WhenAll(
                grant.Issue(new GrantRecord(Id, S.Tenant!, resource, action, expires)),
                state.WriteStateAsync(),
                Audit(actor, AuditKinds.GrantIssued, AuditOutcomes.Success, "", ("resource", resource), ("action", action),
                    ("tokenHash", "sha256:" + GrantTokens.HashPrefix(hash)), ("expiresAt", expires.ToString("O"))));
        }
        catch (Exception e)
        {
            // Never acknowledged, so never usable: make sure of it, as far as the cluster lets us.
            logger.LogWarning(e, "Session {Session}: a grant mint failed; revoking it", Id);
            try { await grant.Revoke("mint-failed"); }
            catch (Exception revoke) { logger.LogWarning(revoke, "Session {Session}: revoking the failed mint failed too", Id); }
            throw;
        }
        // A new bound host changes which CONNECTs the proxies intercept.
        if (!InterceptHosts().SequenceEqual(intercepted))
            await ForgetEgress();
        return new GrantIssue(true, token, expires, GrantTokens.HashPrefix(hash));
    }

    private static string Seconds(TimeSpan t) => ((long)t.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async Task<int> RevokeGrants(string tokenHashPrefix, string actor)
    {
        var revoked = 0;
        foreach (var hash in S.HeldGrants.Keys.Where(h => h.StartsWith(tokenHashPrefix, StringComparison.Ordinal)))
        {
            if (await GrainFactory.GetGrain<IGrantGrain>(hash).Revoke("revoked"))
                revoked++;
        }
        if (S.HeldGrants.Keys.Where(h => h.StartsWith(tokenHashPrefix, StringComparison.Ordinal)).ToList() is { Count: > 0 } gone)
        {
            gone.ForEach(h => S.HeldGrants.Remove(h));
            await state.WriteStateAsync();
        }
        if (revoked > 0)
            await ForgetEgress();
        return revoked;
    }

    private async Task RevokeAll(string reason)
    {
        await Task.WhenAll(S.HeldGrants.Keys.Select(h => GrainFactory.GetGrain<IGrantGrain>(h).Revoke(reason)));
    }
}
