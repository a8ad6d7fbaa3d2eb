using System.Collections.Concurrent;
using AgentCluster.Audit;
using AgentCluster.Grains.Audit;

namespace AgentCluster.Tests.Cluster.Grains.Audit;

/// <summary>An audit table in memory whose commits wait until the test opens the gate.</summary>
public sealed class GatedAuditStore : IAuditStore
{
    private volatile TaskCompletionSource _gate = Open();

    public ConcurrentQueue<IReadOnlyList<AuditRecord>> Transactions { get; } = new();

    /// <summary>Set when a commit has started waiting at the closed gate.</summary>
    public TaskCompletionSource Waiting { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Close()
    {
        Waiting = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Release() => _gate.TrySetResult();

    public async Task AppendAsync(IReadOnlyList<AuditRecord> rows, CancellationToken ct = default)
    {
        Waiting.TrySetResult();
        await _gate.Task;
        Transactions.Enqueue(rows);
    }

    public Task<AuditHead> ReadHeadAsync(string tenant, CancellationToken ct = default) =>
        Task.FromResult(new AuditHead(tenant, 0, AuditChain.Genesis, 0));

    public Task<IReadOnlyList<AuditHead>> ReadHeadsAsync(string? tenant, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<AuditHead>>([]);

    public IAsyncEnumerable<AuditRecord> ReadAsync(AuditQuery query, CancellationToken ct = default) =>
        Transactions.SelectMany(t => t).Where(r => query.Tenant is null || r.Tenant == query.Tenant).ToAsyncEnumerable();

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}
