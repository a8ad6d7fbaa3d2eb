namespace AgentCluster.Client.Sdk;

/// <summary>The outcome of re-computing every visible chain; ok only when every tenant's chain is.</summary>
public sealed record AuditVerificationReport(IReadOnlyList<AuditTenantVerification> Tenants)
{
    public bool Ok => Tenants.All(t => t.Ok);

    public long RowsChecked => Tenants.Sum(t => t.RowsChecked);

    /// <summary>The anchor that was checked, as <c>seq:hash</c>; null when none was given.</summary>
    public string? Anchor { get; init; }
}

/// <summary>
/// One tenant's chain: <see cref="RowsChecked"/> rows verified from seq 1; when broken,
/// <see cref="FirstBadSeq"/> is the first row (or missing seq) that fails and <see cref="Problem"/> says why.
/// </summary>
public sealed record AuditTenantVerification(string Tenant, long RowsChecked, bool Ok, long? FirstBadSeq, string? Problem);
