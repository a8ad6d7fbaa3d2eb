using System.Globalization;
using System.Text.Json.Serialization;
using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Output;

/// <summary>
/// <c>audit verify --json</c>: printed whether or not the chains hold, so a script gets the details
/// of a broken one too (the exit code says which). For people, only success prints here; a broken
/// chain is the one stderr line of <see cref="BrokenMessage"/>.
/// </summary>
internal sealed record AuditVerifyView(bool Ok, long RowsChecked, IReadOnlyList<AuditTenantVerifyView> Tenants)
{
    /// <summary>The anchor's seq when one was checked; in the human line only.</summary>
    [JsonIgnore]
    public long? AnchorSeq { get; init; }

    public static AuditVerifyView From(AuditVerificationReport report) =>
        new(report.Ok, report.RowsChecked, [.. report.Tenants.Select(AuditTenantVerifyView.From)])
        {
            AnchorSeq = report.Anchor is { } anchor ? long.Parse(anchor.Split(':')[0], CultureInfo.InvariantCulture) : null,
        };

    /// <summary>e.g. <c>ok: 10000 rows checked (tenant-a 4000, tenant-b 6000)</c>.</summary>
    public static void Render(AuditVerifyView view, TextWriter writer)
    {
        if (!view.Ok)
        {
            return;
        }

        var line = $"ok: {HumanFormat.Number(view.RowsChecked)} rows checked";
        if (view.Tenants.Count > 0)
        {
            line += $" ({string.Join(", ", view.Tenants.Select(t => $"{Table.Clean(t.Tenant)} {HumanFormat.Number(t.RowsChecked)}"))})";
        }

        writer.WriteLine(view.AnchorSeq is { } seq ? $"{line}; anchor seq {HumanFormat.Number(seq)} matches" : line);
    }

    /// <summary>The one stderr line of a broken log: the first broken tenant and its first bad seq.</summary>
    public static string BrokenMessage(AuditVerifyView view)
    {
        var broken = view.Tenants.Where(t => !t.Ok).ToList();
        var first = broken[0];
        var chain = first.Tenant.Length == 0 ? "audit chain" : $"audit chain of tenant {first.Tenant}";
        var message = $"{chain} is broken at seq {first.FirstBadSeq}: {first.Problem}";
        return broken.Count switch
        {
            1 => message,
            2 => $"{message} (another tenant is broken too; see --json)",
            _ => $"{message} ({broken.Count - 1} other tenants are broken too; see --json)",
        };
    }
}

/// <summary>One tenant's chain; <c>firstBadSeq</c> and <c>problem</c> are null while it holds.</summary>
internal sealed record AuditTenantVerifyView(string Tenant, long RowsChecked, bool Ok, long? FirstBadSeq, string? Problem)
{
    public static AuditTenantVerifyView From(AuditTenantVerification t) => new(t.Tenant, t.RowsChecked, t.Ok, t.FirstBadSeq, t.Problem);
}
