using System.Collections.Immutable;

namespace AgentCluster.Grains.Tenants;

/// <summary>The limits later layers enforce for a tenant's sessions.</summary>
[GenerateSerializer, Immutable]
public sealed record TenantQuotas(
    [property: Id(0)] int MaxSessions,
    [property: Id(1)] TimeSpan MaxSessionTtl,
    [property: Id(2)] ImmutableArray<string> AllowedImages)
{
    public static readonly TimeSpan DefaultMaxSessionTtl = TimeSpan.FromHours(1);
    public const int DefaultMaxSessions = 10;
    public static readonly ImmutableArray<string> DefaultAllowedImages = ["agentcluster/sandbox:*"];

    public static TenantQuotas Default { get; } = new(DefaultMaxSessions, DefaultMaxSessionTtl, DefaultAllowedImages);
}

[GenerateSerializer, Immutable]
public sealed record TenantInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] TenantQuotas Quotas,
    [property: Id(2)] DateTimeOffset CreatedAt);

public enum TenantCreateStatus
{
    Created,
    AlreadyExists,
}

[GenerateSerializer, Immutable]
public sealed record TenantCreateResult(
    [property: Id(0)] TenantCreateStatus Status,
    [property: Id(1)] TenantInfo Tenant);
