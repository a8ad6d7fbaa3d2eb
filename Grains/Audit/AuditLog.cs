namespace AgentCluster.Grains.Audit;

/// <summary>Routes an event to its tenant's log; the log scrubs it (every caller's rows pass there).</summary>
internal sealed class AuditLog(IGrainFactory grains) : IAuditLog
{
    public Task AppendAsync(AuditEvent auditEvent)
    {
        var log = grains.GetGrain<IAuditLogGrain>(auditEvent.Tenant);
        return AuditKinds.IsDurable(auditEvent) ? log.AppendDurable(auditEvent) : log.Append(auditEvent);
    }
}
