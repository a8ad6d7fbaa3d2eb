namespace AgentCluster.Grains.Approvals;

/// <summary>
/// Where a tenant's inbox keeps its pending approvals: a row each, so adding one does not
/// rewrite the others. The inbox grain is the only writer of a tenant's rows.
/// </summary>
public interface IApprovalInboxStore
{
    /// <summary>Oldest first.</summary>
    Task<IReadOnlyList<InboxEntry>> LoadAsync(string tenant, CancellationToken ct = default);

    /// <summary>Idempotent.</summary>
    Task AddAsync(string tenant, InboxEntry entry, DateTimeOffset createdAt, CancellationToken ct = default);

    /// <summary>Idempotent.</summary>
    Task RemoveAsync(string tenant, string approvalId, CancellationToken ct = default);
}
