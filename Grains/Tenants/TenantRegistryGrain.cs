namespace AgentCluster.Grains.Tenants;

[GenerateSerializer]
public sealed class TenantRegistryState
{
    [Id(0)] public SortedSet<string> Names { get; set; } = new(StringComparer.Ordinal);
}

public sealed class TenantRegistryGrain(
    [PersistentState("tenants", StorageNames.Default)] IPersistentState<TenantRegistryState> state)
    : Grain, ITenantRegistryGrain
{
    public async Task Add(string tenant)
    {
        if (state.State.Names.Add(tenant))
            await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Names]);
}
