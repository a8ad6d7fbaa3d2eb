using System.Collections.Concurrent;
using AgentCluster.Grains.Approvals;

namespace AgentCluster.Tests.Cluster.Grains.Sessions;

/// <summary>Each tenant's approval inbox in memory, for sessions that end here (their approvals are withdrawn).</summary>
public sealed class MemoryApprovalInbox : IApprovalInboxStore
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, InboxEntry>> _tenants = new();

    public Task<IReadOnlyList<InboxEntry>> LoadAsync(string tenant, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<InboxEntry>>([.. Of(tenant).Values]);

    public Task AddAsync(string tenant, InboxEntry entry, DateTimeOffset createdAt, CancellationToken ct = default)
    {
        Of(tenant).TryAdd(entry.Approval, entry);
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string tenant, string approvalId, CancellationToken ct = default)
    {
        Of(tenant).TryRemove(approvalId, out _);
        return Task.CompletedTask;
    }

    private ConcurrentDictionary<string, InboxEntry> Of(string tenant) => _tenants.GetOrAdd(tenant, _ => new());
}
