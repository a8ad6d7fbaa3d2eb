namespace AgentCluster.Grains.Audit;

/// <summary>How grains and the API write to the audit log.</summary>
public interface IAuditLog
{
    /// <summary>
    /// Appends an event. For security-relevant kinds (<see cref="AuditKinds.IsDurable(AuditEvent)"/>) this
    /// returns only once the row is committed, and throws if it could not be.
    /// </summary>
    Task AppendAsync(AuditEvent auditEvent);
}
