using System.Collections.Immutable;

namespace AgentCluster.Grains.Tenants;

/// <summary>
/// One per API key, keyed by <see cref="ApiKeyId"/> (a hash prefix), so no grain id, dashboard
/// or storage row holds a usable key.
/// </summary>
[Alias("AgentCluster.Grains.Tenants.IApiKeyGrain")]
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>False when a different key already holds this id.</summary>
    [Alias("Register")]
    Task<bool> Register(string tenant, string keyHashHex, ImmutableArray<string> roles);

    /// <summary>Null unless the hash matches a live key.</summary>
    [Alias("Authenticate")]
    Task<ApiKeyInfo?> Authenticate(string keyHashHex);

    [Alias("Get")]
    Task<ApiKeyInfo?> Get();

    /// <summary>Idempotent; null when there is no such key.</summary>
    [Alias("Revoke")]
    Task<ApiKeyInfo?> Revoke();
}
