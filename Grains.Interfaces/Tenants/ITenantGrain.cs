using System.Collections.Immutable;

namespace AgentCluster.Grains.Tenants;

/// <summary>One per tenant, keyed by tenant name.</summary>
[Alias("AgentCluster.Grains.Tenants.ITenantGrain")]
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Creates the tenant once; a second call reports AlreadyExists and changes nothing.</summary>
    [Alias("Create")]
    Task<TenantCreateResult> Create(TenantQuotas quotas);

    /// <summary>Null when the tenant does not exist.</summary>
    [Alias("Get")]
    Task<TenantInfo?> Get();

    /// <summary>Registers a new API key for this tenant; the key grain holds its hash and roles.</summary>
    [Alias("AddKey")]
    Task<ApiKeyInfo> AddKey(string keyHashHex, ImmutableArray<string> roles);

    [Alias("ListKeys")]
    Task<IReadOnlyList<ApiKeyInfo>> ListKeys();

    /// <summary>
    /// Registers the first cluster-admin key. Only the first caller wins, so two silos starting
    /// at once cannot both hand out an admin key.
    /// </summary>
    [Alias("ClaimBootstrapKey")]
    Task<bool> ClaimBootstrapKey(string keyHashHex);
}
