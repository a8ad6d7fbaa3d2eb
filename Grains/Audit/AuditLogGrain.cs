using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace AgentCluster.Grains.Audit;

/// <summary>
/// Group commit for one tenant's chain. Reentrant so appends keep queueing while a batch is
/// being written; all chaining happens on the grain's single thread, between awaits.
/// </summary>
[Reentrant]
public sealed class AuditLogGrain(
    IAuditStore store, TimeProvider clock, IOptions<AuditOptions> options, ILogger<AuditLogGrain> logger)
    : Grain, IAuditLogGrain
{
    private const int MaxConflictRetries = 20;
    private readonly Queue<PendingAppend> _queue = new();
    private AuditHead _head = null!;
    private bool _writing;

    private string Tenant => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken ct) => _head = await store.ReadHeadAsync(Tenant, ct);

    public Task<long> AppendDurable(AuditEvent auditEvent) => Enqueue(auditEvent).Committed.Task;

    public Task Append(AuditEvent auditEvent)
    {
        Enqueue(auditEvent);
        return Task.CompletedTask;
    }

    public Task AppendMany(ImmutableArray<AuditEvent> auditEvents)
    {
        // All or none: every event is checked before the first is queued.
        if (auditEvents.FirstOrDefault(e => e.Tenant != Tenant) is { } stranger)
            throw WrongTenant(stranger);
        foreach (var e in auditEvents)
            Enqueue(e);
        return Task.CompletedTask;
    }

    private ArgumentException WrongTenant(AuditEvent auditEvent) =>
        new($"event for tenant {auditEvent.Tenant} sent to the log of {Tenant}");

    private PendingAppend Enqueue(AuditEvent auditEvent)
    {
        if (auditEvent.Tenant != Tenant)
            throw WrongTenant(auditEvent);
        var pending = new PendingAppend(auditEvent);
        _queue.Enqueue(pending);
        if (!_writing)
        {
            _writing = true;
            _ = WriteAll();
        }
        return pending;
    }

    private async Task WriteAll()
    {
        try
        {
            while (_queue.Count > 0)
            {
                var batch = new List<PendingAppend>();
                while (batch.Count < options.Value.MaxBatch && _queue.TryDequeue(out var next))
                    batch.Add(next);
                await WriteBatch(batch);
            }
        }
        finally
        {
            _writing = false;
        }
    }

    private async Task WriteBatch(List<PendingAppend> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            var rows = Chain(batch);
            try
            {
                await store.AppendAsync(rows);
                _head = new AuditHead(Tenant, rows[^1].Seq, rows[^1].Hash, rows[^1].AtMs);
                for (var i = 0; i < batch.Count; i++)
                    batch[i].Committed.TrySetResult(rows[i].Seq);
                return;
            }
            catch (AuditSeqConflictException e) when (attempt < MaxConflictRetries)
            {
                // Another activation of this grain (a brief duplicate during a membership change)
                // appended first: continue from its head instead of forking the chain.
                logger.LogWarning("Audit chain of {Tenant} moved under us ({Reason}); re-reading the head", Tenant, e.Message);
                _head = await store.ReadHeadAsync(Tenant);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Audit batch of {Count} events for {Tenant} failed", batch.Count, Tenant);
                _head = await ReadHeadOrKeep();
                foreach (var p in batch)
                    p.Committed.TrySetException(e);
                return;
            }
        }
    }

    private List<AuditRecord> Chain(List<PendingAppend> batch)
    {
        var rows = new List<AuditRecord>(batch.Count);
        var (seq, prev, at) = (_head.Seq, _head.Hash, _head.AtMs);
        foreach (var p in batch)
        {
            // Time never runs backwards within a chain, even if the wall clock does.
            at = Math.Max(at, clock.GetUtcNow().ToUnixTimeMilliseconds());
            var e = p.Event;
            var fields = new AuditRowFields(++seq, at, e.Tenant, e.Actor, e.Kind, e.Subject, e.Outcome, e.Reason,
                AuditChain.CanonicalDetail(e.Detail));
            var hash = AuditChain.ComputeHash(prev, fields);
            rows.Add(new AuditRecord(fields.Seq, fields.AtMs, fields.Tenant, fields.Actor, fields.Kind, fields.Subject,
                fields.Outcome, fields.Reason, fields.Detail, prev, hash));
            prev = hash;
        }
        return rows;
    }

    private async Task<AuditHead> ReadHeadOrKeep()
    {
        try { return await store.ReadHeadAsync(Tenant); }
        catch (Exception) { return _head; }
    }

    private sealed class PendingAppend(AuditEvent auditEvent)
    {
        public AuditEvent Event { get; } = auditEvent;
        public TaskCompletionSource<long> Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
