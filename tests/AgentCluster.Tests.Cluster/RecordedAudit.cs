using System.Collections.Concurrent;
using AgentCluster.Grains.Audit;

namespace AgentCluster.Tests.Cluster;

/// <summary>What the grains of the cluster fixture audited, shared by its silos.</summary>
public sealed class RecordedAudit : IAuditLog
{
    public static readonly RecordedAudit Instance = new();

    private readonly ConcurrentQueue<AuditEvent> _events = new();

    public IReadOnlyList<AuditEvent> Events => [.. _events];

    public Task AppendAsync(AuditEvent auditEvent)
    {
        _events.Enqueue(auditEvent);
        return Task.CompletedTask;
    }
}
