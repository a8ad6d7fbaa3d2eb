namespace AgentCluster.Grains.Audit;

/// <summary>Where chained rows live: the project's own append-only table.</summary>
public interface IAuditStore
{
    /// <summary>The tenant's latest row, or seq 0 with the genesis hash when it has none.</summary>
    Task<AuditHead> ReadHeadAsync(string tenant, CancellationToken ct = default);

    /// <summary>Latest row of every tenant (or of one).</summary>
    Task<IReadOnlyList<AuditHead>> ReadHeadsAsync(string? tenant, CancellationToken ct = default);

    /// <summary>
    /// Inserts the rows in one transaction. Throws <see cref="AuditSeqConflictException"/> when
    /// another writer already holds one of the seqs, so a duplicate activation cannot fork the chain.
    /// </summary>
    Task AppendAsync(IReadOnlyList<AuditRecord> rows, CancellationToken ct = default);

    /// <summary>Rows in (tenant, seq) order.</summary>
    IAsyncEnumerable<AuditRecord> ReadAsync(AuditQuery query, CancellationToken ct = default);
}

/// <summary>Filters of a read; null means any.</summary>
public sealed record AuditQuery(
    string? Tenant = null,
    long AfterSeq = 0,
    long? SinceMs = null,
    int? Limit = null,
    bool Newest = false);

public sealed class AuditSeqConflictException(string tenant, Exception inner)
    : Exception($"audit seq conflict for tenant {tenant}: another writer appended first", inner);
