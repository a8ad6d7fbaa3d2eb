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

    /// <summary>Read-only by default: a tenant's sessions get write or delete grants only once an admin allows it.</summary>
    public static readonly ImmutableArray<string> DefaultAllowedGrants = ["*:read"];
    public static readonly TimeSpan GrantTtlCeiling = TimeSpan.FromSeconds(300);
    public const long DefaultMaxNanoCpus = 2 * Fleet.SandboxSpec.NanoCpusPerCpu;

    /// <summary>The range a tenant's CPU default and maximum may take: Docker's least, up to 64 CPUs.</summary>
    public const long MinNanoCpus = Fleet.SandboxSpec.NanoCpusPerCpu / 100;
    public const long NanoCpusCeiling = 64 * Fleet.SandboxSpec.NanoCpusPerCpu;

    /// <summary>A new instance each time: a state that starts from it must never share it with another.</summary>
    public static TenantQuotas Default => new(DefaultMaxSessions, DefaultMaxSessionTtl, DefaultAllowedImages);

    /// <summary><c>resource:action</c> patterns; <c>*</c> matches a whole part.</summary>
    [Id(3)]
    public ImmutableArray<string> AllowedGrants { get; init; } = DefaultAllowedGrants;

    [Id(4)]
    public TimeSpan MaxGrantTtl { get; init; } = GrantTtlCeiling;

    /// <summary>The CPU a session gets when it asks for none (billionths of a CPU, as Docker's NanoCpus).</summary>
    [Id(5)]
    public long DefaultNanoCpus { get; init; } = Fleet.SandboxSpec.DefaultNanoCpus;

    /// <summary>The most CPU one of its sessions may ask for; a session asking more is refused.</summary>
    [Id(6)]
    public long MaxNanoCpus { get; init; } = DefaultMaxNanoCpus;

    public bool AllowsGrant(string pair)
    {
        var (resource, action) = (pair.Split(':')[0], pair.Split(':')[^1]);
        return (AllowedGrants.IsDefault ? DefaultAllowedGrants : AllowedGrants).Any(p =>
            p.Split(':') is [var r, var a] && (r == "*" || r == resource) && (a == "*" || a == action));
    }
}

[GenerateSerializer, Immutable]
public sealed record TenantInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] TenantQuotas Quotas,
    [property: Id(2)] DateTimeOffset CreatedAt)
{
    [Id(3)]
    public Approvals.ApprovalPolicy Approvals { get; init; } = Grains.Approvals.ApprovalPolicy.Default;
}

public enum TenantCreateStatus
{
    Created,
    AlreadyExists,
}

[GenerateSerializer, Immutable]
public sealed record TenantCreateResult(
    [property: Id(0)] TenantCreateStatus Status,
    [property: Id(1)] TenantInfo Tenant);
