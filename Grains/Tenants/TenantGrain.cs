using System.Collections.Immutable;

namespace AgentCluster.Grains.Tenants;

public sealed class TenantGrain(
    [PersistentState("tenant", StorageNames.Default)] IPersistentState<TenantState> state,
    TimeProvider clock) : Grain, ITenantGrain
{
    private string Name => this.GetPrimaryKeyString();

    public async Task<TenantCreateResult> Create(TenantQuotas quotas)
    {
        if (state.State.Exists)
            return new(TenantCreateStatus.AlreadyExists, Info());

        state.State.Exists = true;
        state.State.Quotas = quotas;
        state.State.CreatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ITenantRegistryGrain>(ITenantRegistryGrain.Key).Add(Name);
        return new(TenantCreateStatus.Created, Info());
    }

    public Task<TenantInfo?> Get() => Task.FromResult(state.State.Exists ? Info() : null);

    public async Task<ApiKeyInfo> AddKey(string keyHashHex, ImmutableArray<string> roles)
    {
        if (!state.State.Exists)
            throw new InvalidOperationException($"tenant {Name} does not exist");

        var id = ApiKeyId.FromHash(keyHashHex);
        // Listed before it is registered: a crash in between leaves an id with no key behind it
        // (harmless), never a live key that no listing shows and so nobody revokes.
        if (!state.State.KeyIds.Contains(id))
        {
            state.State.KeyIds.Add(id);
            await state.WriteStateAsync();
        }

        var key = GrainFactory.GetGrain<IApiKeyGrain>(id);
        if (!await key.Register(Name, keyHashHex, roles))
            throw new InvalidOperationException($"api key id {id} is already taken");
        return (await key.Get())!;
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListKeys()
    {
        var keys = await Task.WhenAll(state.State.KeyIds.Select(id => GrainFactory.GetGrain<IApiKeyGrain>(id).Get()));
        return keys.OfType<ApiKeyInfo>().ToList();
    }

    public async Task<bool> ClaimBootstrapKey(string keyHashHex)
    {
        var id = ApiKeyId.FromHash(keyHashHex);
        if (state.State.BootstrapKeyId is { } existing && existing != id)
            return false;

        if (!state.State.Exists)
            await Create(TenantQuotas.Default with { MaxSessions = 0 });

        state.State.BootstrapKeyId = id;
        await state.WriteStateAsync();
        await AddKey(keyHashHex, [Roles.Admin]);
        return true;
    }

    public async Task<bool> ReserveSession(string sessionId)
    {
        if (!state.State.Exists)
            return false;
        if (state.State.LiveSessions.Contains(sessionId))
            return true;
        if (state.State.LiveSessions.Count >= state.State.Quotas.MaxSessions)
            return false;
        state.State.LiveSessions.Add(sessionId);
        state.State.Sessions.Add(sessionId);
        await state.WriteStateAsync();
        return true;
    }

    public async Task ReleaseSession(string sessionId)
    {
        if (state.State.LiveSessions.Remove(sessionId))
            await state.WriteStateAsync();
    }

    public async Task<TenantInfo?> UpdateQuotas(TenantQuotas quotas)
    {
        if (!state.State.Exists)
            return null;
        state.State.Quotas = quotas;
        await state.WriteStateAsync();
        return Info();
    }

    public async Task<TenantInfo?> UpdateApprovals(Approvals.ApprovalPolicy policy)
    {
        if (!state.State.Exists)
            return null;
        state.State.Approvals = policy;
        await state.WriteStateAsync();
        return Info();
    }

    public Task<IReadOnlyList<string>> ListLiveSessions() => Task.FromResult<IReadOnlyList<string>>([.. state.State.LiveSessions.Order(StringComparer.Ordinal)]);

    public Task<IReadOnlyList<string>> ListSessions() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Sessions]);

    private TenantInfo Info() => new(Name, state.State.Quotas, state.State.CreatedAt) { Approvals = state.State.Approvals };
}
