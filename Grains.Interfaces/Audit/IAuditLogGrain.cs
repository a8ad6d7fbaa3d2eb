namespace AgentCluster.Grains.Audit;

/// <summary>
/// The one serialising point of a tenant's chain (keyed by tenant): it numbers, links and
/// batches events so a burst of appends becomes one transaction.
/// </summary>
[Alias("AgentCluster.Grains.Audit.IAuditLogGrain")]
public interface IAuditLogGrain : IGrainWithStringKey
{
    /// <summary>Returns once the row is committed; its seq.</summary>
    [Alias("AppendDurable")]
    Task<long> AppendDurable(AuditEvent auditEvent);

    /// <summary>Returns once the event is queued; it is committed with the next batch.</summary>
    [Alias("Append")]
    Task Append(AuditEvent auditEvent);

    /// <summary>Queues several events, in order, in one call (a proxy's burst of egress rows); all or none.</summary>
    [Alias("AppendMany")]
    Task AppendMany(System.Collections.Immutable.ImmutableArray<AuditEvent> auditEvents);

    /// <summary>
    /// Several events, in order, in one call, returning once every one is committed (a proxy's
    /// group of swapped requests, each waiting for its row); checked all or none before any is queued.
    /// </summary>
    [Alias("AppendManyDurable")]
    Task AppendManyDurable(System.Collections.Immutable.ImmutableArray<AuditEvent> auditEvents);
}
