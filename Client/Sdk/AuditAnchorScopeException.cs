namespace AgentCluster.Client.Sdk;

/// <summary>An anchor belongs to one tenant's chain, but no tenant was named and the key sees several.</summary>
public sealed class AuditAnchorScopeException(IReadOnlyList<string> tenants)
    : ArgumentException($"an anchor belongs to one tenant's chain, but this key sees {tenants.Count} tenants; name one", "tenant")
{
    public IReadOnlyList<string> Tenants { get; } = tenants;
}
