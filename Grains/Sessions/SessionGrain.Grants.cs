using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Credentials;

namespace AgentCluster.Grains.Sessions;

public sealed partial class SessionGrain
{
    private const string SessionEnded = "session-ended";

    public async Task<GrantIssue> RequestGrant(string resource, string action, TimeSpan? ttl, string actor)
    {
        var lifetime = ttl ?? S.MaxGrantTtl;
        var reason = !Exists || Ended || S.Status != SessionStatus.Ready ? SessionEnded
            : !S.AllowGrants.Contains($"{resource}:{action}") ? "policy"
            : lifetime <= TimeSpan.Zero || lifetime > S.MaxGrantTtl ? "policy"
            : null;
        if (reason is null && (await vault.FindAsync(S.Tenant!, resource))?.Actions.Contains(action) != true)
            reason = "no-credential";
        if (reason is not null)
        {
            if (Exists)
                await Audit(actor, AuditKinds.GrantDenied, AuditOutcomes.Denied, reason, ("resource", resource), ("action", action));
            return GrantIssue.Refused;
        }

        var token = GrantTokens.New();
        var hash = GrantTokens.Hash(token);
        var expires = clock.GetUtcNow() + lifetime;
        await GrainFactory.GetGrain<IGrantGrain>(hash).Issue(new GrantRecord(Id, S.Tenant!, resource, action, expires));
        S.GrantHashes.Add(hash);
        await state.WriteStateAsync();
        await Audit(actor, AuditKinds.GrantIssued, AuditOutcomes.Success, "", ("resource", resource), ("action", action),
            ("tokenHash", "sha256:" + GrantTokens.HashPrefix(hash)), ("expiresAt", expires.ToString("O")));
        return new GrantIssue(true, token, expires, GrantTokens.HashPrefix(hash));
    }

    public async Task<int> RevokeGrants(string tokenHashPrefix, string actor)
    {
        var revoked = 0;
        foreach (var hash in S.GrantHashes.Where(h => h.StartsWith(tokenHashPrefix, StringComparison.Ordinal)))
        {
            if (await GrainFactory.GetGrain<IGrantGrain>(hash).Revoke("revoked"))
                revoked++;
        }
        return revoked;
    }

    private async Task RevokeAll(string reason)
    {
        await Task.WhenAll(S.GrantHashes.Select(h => GrainFactory.GetGrain<IGrantGrain>(h).Revoke(reason)));
    }
}
