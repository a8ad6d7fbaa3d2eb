using AgentCluster.Api.V1;

namespace AgentCluster.Client.Sdk;

/// <summary>A tenant as the server reports it.</summary>
public sealed record TenantInfo(
    string Name,
    int MaxSessions,
    TimeSpan? MaxSessionTtl,
    IReadOnlyList<string> AllowedImages,
    DateTimeOffset? CreatedAt)
{
    public IReadOnlyList<string> AllowedGrants { get; init; } = [];

    public TimeSpan? MaxGrantTtl { get; init; }

    public TimeSpan? ApprovalTimeout { get; init; }

    public IReadOnlyDictionary<string, string> RiskOverrides { get; init; } = new Dictionary<string, string>();

    /// <summary>The webhook's origin only; empty when none.</summary>
    public string WebhookUrl { get; init; } = "";

    public int MaxPendingApprovals { get; init; }
    /// <summary>A session's CPU when it asks for none, in billionths of a CPU.</summary>
    public long DefaultNanoCpus { get; init; }

    /// <summary>The most CPU one session may ask for, in billionths of a CPU.</summary>
    public long MaxNanoCpus { get; init; }

    internal static TenantInfo From(Tenant tenant) => new(
        tenant.Name,
        tenant.MaxSessions,
        ProtoTime.ToTimeSpan(tenant.MaxSessionTtl),
        [.. tenant.AllowedImages],
        ProtoTime.ToDateTimeOffset(tenant.CreatedAt))
    {
        AllowedGrants = [.. tenant.AllowedGrants],
        MaxGrantTtl = ProtoTime.ToTimeSpan(tenant.MaxGrantTtl),
        ApprovalTimeout = ProtoTime.ToTimeSpan(tenant.ApprovalTimeout),
        RiskOverrides = new SortedDictionary<string, string>(tenant.RiskOverrides, StringComparer.Ordinal),
        WebhookUrl = tenant.WebhookUrl,
        MaxPendingApprovals = tenant.MaxPendingApprovals,
        DefaultNanoCpus = tenant.DefaultNanoCpus,
        MaxNanoCpus = tenant.MaxNanoCpus,
    };
}
