namespace AgentCluster.Grains.Audit;

internal sealed class AuditLog(IGrainFactory grains, AuditScrubber scrubber) : IAuditLog
{
    public Task AppendAsync(AuditEvent auditEvent)
    {
        var clean = scrubber.Scrub(auditEvent);
        var log = grains.GetGrain<IAuditLogGrain>(clean.Tenant);
        return AuditKinds.IsDurable(clean.Kind) ? log.AppendDurable(clean) : log.Append(clean);
    }
}
