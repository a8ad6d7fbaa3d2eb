using System.Collections.Concurrent;
using AgentCluster.Grains.Audit;

namespace AgentCluster.Tests.Doubles;

/// <summary>An audit log that keeps every event in memory, for tests that look for a row.</summary>
public sealed class RecordedAudit : IAuditLog
{
    public static RecordedAudit Instance { get; } = new();

    private readonly ConcurrentQueue<AuditEvent> _events = new();

    public IReadOnlyList<AuditEvent> Events => [.. _events];

    public Task AppendAsync(AuditEvent auditEvent)
    {
        _events.Enqueue(auditEvent);
        return Task.CompletedTask;
    }
}
