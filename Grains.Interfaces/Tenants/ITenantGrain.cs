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

    /// <summary>Replaces the tenant's quotas; null when the tenant does not exist.</summary>
    [Alias("UpdateQuotas")]
    Task<TenantInfo?> UpdateQuotas(TenantQuotas quotas);

    /// <summary>Replaces the tenant's approval settings; null when the tenant does not exist.</summary>
    [Alias("UpdateApprovals")]
    Task<TenantInfo?> UpdateApprovals(Approvals.ApprovalPolicy policy);

    /// <summary>Takes one of the tenant's concurrent-session slots; false when all are taken.</summary>
    [Alias("ReserveSession")]
    Task<bool> ReserveSession(string sessionId);

    /// <summary>Frees the slot of a session that ended. Idempotent.</summary>
    [Alias("ReleaseSession")]
    Task ReleaseSession(string sessionId);

    /// <summary>The sessions that hold one of its slots now.</summary>
    [Alias("ListLiveSessions")]
    Task<IReadOnlyList<string>> ListLiveSessions();

    /// <summary>Every session the tenant ever created, newest last.</summary>
    [Alias("ListSessions")]
    Task<IReadOnlyList<string>> ListSessions();
}
