namespace AgentCluster.Grains.Tenants;

/// <summary>The list of tenant names, so that a cluster admin can enumerate them.</summary>
[Alias("AgentCluster.Grains.Tenants.ITenantRegistryGrain")]
public interface ITenantRegistryGrain : IGrainWithStringKey
{
    public const string Key = "all";

    [Alias("Add")]
    Task Add(string tenant);

    [Alias("List")]
    Task<IReadOnlyList<string>> List();
}
