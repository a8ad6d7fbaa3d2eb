using System.Collections.Immutable;
using System.Text;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Sessions;
using AgentCluster.Grains.Tenants;

namespace AgentCluster.Grains.Credentials;

[GenerateSerializer]
public sealed class GrantState
{
    [Id(0)] public GrantRecord? Grant { get; set; }
    [Id(1)] public string? RevokedReason { get; set; }
}

/// <summary>
/// A stub token's scope and life. It keeps the decrypted secret only in memory, briefly, so the
/// proxy's resolves do not each go to the database; storage holds no secret and no token.
/// </summary>
public sealed class GrantGrain(
    [PersistentState("grant", StorageNames.Default)] IPersistentState<GrantState> state,
    ISecretVault vault,
    IAuditLog audit,
    TimeProvider clock) : Grain, IGrantGrain
{
    // Expired grants linger this long before they are cleared, so late resolves are audited as "expired".
    private static readonly TimeSpan Tombstone = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan SecretCacheFor = TimeSpan.FromSeconds(5);

    private (SecretMetadata Metadata, string Value, DateTimeOffset ReadAt)? _secret;
    private IGrainTimer? _expiry;

    private string TokenHash => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken ct)
    {
        if (state.State.Grant is not null)
            ArmExpiry();
        return Task.CompletedTask;
    }

    public async Task Issue(GrantRecord grant)
    {
        if (state.State.Grant is not null)
            throw new InvalidOperationException("a grant token is never reused");
        state.State.Grant = grant;
        await state.WriteStateAsync();
        ArmExpiry();
    }

    public async Task<GrantResolution> Resolve(GrantUse use)
    {
        var grant = state.State.Grant;
        var reason = grant is null ? "unknown-token"
            : grant.Session != use.Session ? "wrong-session"
            : state.State.RevokedReason is { } revoked ? revoked
            : clock.GetUtcNow() >= grant.ExpiresAt ? "expired"
            : null;
        var secret = reason is null ? await Secret(grant!, use.Fresh) : null;
        reason ??= secret is not { Metadata: var m } || !m.Actions.Contains(grant!.Action) ? "no-credential"
            : !m.AllowsHost(use.Host) ? "wrong-host"
            : !GrantMethods.Allow(grant.Action, m.Methods, use.Methods) ? "action-mismatch"
            // A real secret crosses the network in clear only when its owner said it may.
            : !use.OverTls && !m.AllowPlainHttp ? "plain-http"
            : null;

        if (reason is not null)
        {
            await Deny(grant, use, reason);
            return GrantResolution.DeniedFor(reason);
        }
        return new GrantResolution(true, Inject(secret!.Value.Metadata, secret.Value.Value), secret.Value.Value) { ExpiresAt = grant!.ExpiresAt };
    }

    public async Task<bool> Revoke(string reason)
    {
        if (state.State.Grant is not { } grant || state.State.RevokedReason is not null)
            return false;
        state.State.RevokedReason = reason;
        await state.WriteStateAsync();
        _secret = null;
        await audit.AppendAsync(Event(grant.Tenant, grant.Session, AuditKinds.GrantRevoked, AuditOutcomes.Success, reason, grant));
        return true;
    }

    private async Task<(SecretMetadata Metadata, string Value)?> Secret(GrantRecord grant, bool fresh)
    {
        if (!fresh && _secret is { } cached && clock.GetUtcNow() - cached.ReadAt < SecretCacheFor)
            return (cached.Metadata, cached.Value);
        var read = await vault.RevealAsync(grant.Tenant, grant.Resource);
        _secret = read is { } r ? (r.Metadata, r.Value, clock.GetUtcNow()) : null;
        return read;
    }

    private static ImmutableDictionary<string, string> Inject(SecretMetadata m, string value) =>
        m.BasicUser is { Length: > 0 } user
            ? ImmutableDictionary<string, string>.Empty.Add("Authorization",
                "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{value}")))
            : ImmutableDictionary<string, string>.Empty.Add(m.Header!, m.Format!.Replace("{secret}", value, StringComparison.Ordinal));

    private async Task Deny(GrantRecord? grant, GrantUse use, string reason)
    {
        var tenant = grant?.Tenant ?? (await GrainFactory.GetGrain<ISessionGrain>(use.Session).Get())?.Tenant ?? SystemTenant.Name;
        await audit.AppendAsync(Event(tenant, use.Session, AuditKinds.GrantResolved, AuditOutcomes.Denied, reason, grant)
            with { Detail = Detail(grant).Add("host", use.Host).Add("method", string.Join(",", use.Methods)).Add("tls", use.OverTls ? "yes" : "no") });
    }

    private AuditEvent Event(string tenant, string actor, string kind, string outcome, string reason, GrantRecord? grant) =>
        new(tenant, actor, kind, grant?.Session ?? actor, outcome, reason, Detail(grant));

    private ImmutableSortedDictionary<string, string> Detail(GrantRecord? grant)
    {
        var detail = AuditEvent.NoDetail.Add("tokenHash", "sha256:" + GrantTokens.HashPrefix(TokenHash));
        return grant is null ? detail : detail.Add("resource", grant.Resource).Add("action", grant.Action);
    }

    private void ArmExpiry()
    {
        _expiry?.Dispose();
        var due = state.State.Grant!.ExpiresAt + Tombstone - clock.GetUtcNow();
        _expiry = this.RegisterGrainTimer(Expire, new GrainTimerCreationOptions
        {
            DueTime = due > TimeSpan.Zero ? due : TimeSpan.Zero,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = false,
        });
    }

    private async Task Expire(CancellationToken ct)
    {
        await state.ClearStateAsync();
        _secret = null;
        DeactivateOnIdle();
    }
}
