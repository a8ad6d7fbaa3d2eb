using System.Collections.Immutable;

namespace AgentCluster.Grains.Tenants;

/// <summary>What an API key is allowed to do; never the key itself.</summary>
[GenerateSerializer, Immutable]
public sealed record ApiKeyInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Tenant,
    [property: Id(2)] ImmutableArray<string> Roles,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? RevokedAt);

public static class Roles
{
    public const string Orchestrator = "orchestrator";
    public const string Approver = "approver";
    public const string Admin = "admin";
    public const string Auditor = "auditor";

    public static readonly IReadOnlySet<string> All =
        new HashSet<string>(StringComparer.Ordinal) { Orchestrator, Approver, Admin, Auditor };
}

/// <summary>The tenant that holds cluster-admin keys; its admins may act on every tenant.</summary>
public static class SystemTenant
{
    public const string Name = "system";
}
