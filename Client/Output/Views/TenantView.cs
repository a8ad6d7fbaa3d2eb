using System.Globalization;
using AgentCluster.Client.Commands;
using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Output;

/// <summary>
/// A tenant in <c>--json</c>; <c>maxSessionTtl</c> is a number of seconds, null when the server sent
/// none; <c>defaultCpus</c> and <c>maxCpus</c> are CPUs (0.5, 2).
/// </summary>
internal sealed record TenantView(
    string Name,
    int MaxSessions,
    double? MaxSessionTtl,
    IReadOnlyList<string> AllowedImages,
    DateTime? CreatedAt,
    IReadOnlyList<string> AllowedGrants,
    double? MaxGrantTtl,
    double? ApprovalTimeout,
    IReadOnlyDictionary<string, string> RiskOverrides,
    string WebhookUrl,
    int MaxPendingApprovals,
    double DefaultCpus,
    double MaxCpus)
{
    public static TenantView From(TenantInfo tenant) => new(
        tenant.Name,
        tenant.MaxSessions,
        tenant.MaxSessionTtl?.TotalSeconds,
        tenant.AllowedImages,
        tenant.CreatedAt?.UtcDateTime,
        tenant.AllowedGrants,
        tenant.MaxGrantTtl?.TotalSeconds,
        tenant.ApprovalTimeout?.TotalSeconds,
        tenant.RiskOverrides,
        tenant.WebhookUrl,
        tenant.MaxPendingApprovals,
        CpuOption.Cpus(tenant.DefaultNanoCpus),
        CpuOption.Cpus(tenant.MaxNanoCpus));

    public static void Render(TenantView tenant, TextWriter writer) => TenantListView.Render(new([tenant]), writer);
}

internal sealed record TenantListView(IReadOnlyList<TenantView> Tenants)
{
    public static TenantListView From(IEnumerable<TenantInfo> tenants) => new([.. tenants.Select(TenantView.From)]);

    public static void Render(TenantListView list, TextWriter writer)
    {
        var table = new Table("NAME", "MAX SESSIONS", "MAX TTL", "CPUS (MAX)", "ALLOWED IMAGES", "ALLOWED GRANTS", "MAX GRANT TTL", "CREATED");
        foreach (var t in list.Tenants)
        {
            table.Add(
                t.Name,
                HumanFormat.Number(t.MaxSessions),
                HumanFormat.Duration(t.MaxSessionTtl is { } s ? TimeSpan.FromSeconds(s) : null),
                string.Create(CultureInfo.InvariantCulture, $"{t.DefaultCpus:0.##} ({t.MaxCpus:0.##})"),
                HumanFormat.List(t.AllowedImages),
                HumanFormat.List(t.AllowedGrants),
                HumanFormat.Duration(t.MaxGrantTtl is { } g ? TimeSpan.FromSeconds(g) : null),
                HumanFormat.Time(t.CreatedAt));
        }

        table.WriteTo(writer);
    }
}
