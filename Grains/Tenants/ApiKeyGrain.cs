using System.Collections.Immutable;
using System.Security.Cryptography;

namespace AgentCluster.Grains.Tenants;

[GenerateSerializer]
public sealed class ApiKeyState
{
    [Id(0)] public string? Tenant { get; set; }
    [Id(1)] public string HashHex { get; set; } = "";
    [Id(2)] public List<string> Roles { get; set; } = [];
    [Id(3)] public DateTimeOffset CreatedAt { get; set; }
    [Id(4)] public DateTimeOffset? RevokedAt { get; set; }
}

public sealed class ApiKeyGrain(
    [PersistentState("apikey", StorageNames.Default)] IPersistentState<ApiKeyState> state,
    TimeProvider clock) : Grain, IApiKeyGrain
{
    public async Task<bool> Register(string tenant, string keyHashHex, ImmutableArray<string> roles)
    {
        if (state.State.Tenant is not null)
            return state.State.Tenant == tenant && HashEquals(keyHashHex);

        state.State.Tenant = tenant;
        state.State.HashHex = keyHashHex;
        state.State.Roles = [.. roles];
        state.State.CreatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        return true;
    }

    public Task<ApiKeyInfo?> Authenticate(string keyHashHex) =>
        Task.FromResult(state.State.Tenant is not null && state.State.RevokedAt is null && HashEquals(keyHashHex)
            ? Info()
            : null);

    public Task<ApiKeyInfo?> Get() => Task.FromResult(state.State.Tenant is null ? null : Info());

    public async Task<ApiKeyInfo?> Revoke()
    {
        if (state.State.Tenant is null)
            return null;
        if (state.State.RevokedAt is null)
        {
            state.State.RevokedAt = clock.GetUtcNow();
            await state.WriteStateAsync();
        }
        return Info();
    }

    private bool HashEquals(string keyHashHex) =>
        keyHashHex.Length == state.State.HashHex.Length &&
        CryptographicOperations.FixedTimeEquals(
            Convert.FromHexString(keyHashHex), Convert.FromHexString(state.State.HashHex));

    private ApiKeyInfo Info() =>
        new(this.GetPrimaryKeyString(), state.State.Tenant!, [.. state.State.Roles], state.State.CreatedAt, state.State.RevokedAt);
}
