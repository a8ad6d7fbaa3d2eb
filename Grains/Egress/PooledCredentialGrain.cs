using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Egress;

[GenerateSerializer]
public sealed class PooledCredentialState
{
    [Id(0)] public string? SecretHash { get; set; }
    [Id(1)] public DateTimeOffset Expires { get; set; }
    [Id(2)] public string? Session { get; set; }
    [Id(3)] public string? Tenant { get; set; }
}

/// <summary>
/// Not reentrant: two claims of the same credential run one after the other, so only the first
/// binds it. It outlives its container's deadline label by nothing: at expiry it is cleared. The
/// binding is audited by the session it is bound to, with its Ready transition.
/// </summary>
public sealed class PooledCredentialGrain(
    [PersistentState("pooledcredential", StorageNames.Default)] IPersistentState<PooledCredentialState> state,
    TimeProvider clock,
    ILogger<PooledCredentialGrain> logger) : Grain, IPooledCredentialGrain
{
    private IGrainTimer? _expiry;

    private bool Live => state.State.SecretHash is not null && clock.GetUtcNow() < state.State.Expires;

    public override Task OnActivateAsync(CancellationToken ct)
    {
        if (state.State.SecretHash is not null)
            ArmExpiry();
        return Task.CompletedTask;
    }

    public async Task<bool> Issue(string secretHash, DateTimeOffset expires)
    {
        if (state.State.SecretHash is not null || !PooledCredentials.IsValid(this.GetPrimaryKeyString()))
            return false;
        (state.State.SecretHash, state.State.Expires) = (secretHash, expires);
        await state.WriteStateAsync();
        ArmExpiry();
        return true;
    }

    public async Task<string?> Bind(string sessionId, string tenant)
    {
        if (!Live || state.State.Session is not null)
        {
            logger.LogWarning("Pooled credential {Credential} refused a bind to session {Session}: {Why}", this.GetPrimaryKeyString(), sessionId,
                state.State.Session is not null ? "bound already" : "unknown or expired");
            return null;
        }
        (state.State.Session, state.State.Tenant) = (sessionId, tenant);
        await state.WriteStateAsync();
        logger.LogInformation("Pooled credential {Credential} bound to session {Session} of tenant {Tenant}", this.GetPrimaryKeyString(), sessionId, tenant);
        return state.State.SecretHash;
    }

    public Task<string?> BoundSession() => Task.FromResult(Live ? state.State.Session : null);

    private void ArmExpiry()
    {
        _expiry?.Dispose();
        var due = state.State.Expires - clock.GetUtcNow();
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
        DeactivateOnIdle();
    }
}
