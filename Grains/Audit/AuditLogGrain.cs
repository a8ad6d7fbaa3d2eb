using System.Collections.Immutable;
using AgentCluster.Audit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace AgentCluster.Grains.Audit;

/// <summary>
/// Group commit for one tenant's chain. Reentrant so appends keep queueing while a batch is
/// being written; all chaining happens on the grain's single thread, between awaits. Every row
/// is scrubbed here, whoever sent it (a silo's services or the egress proxy over the gateway).
/// </summary>
[Reentrant]
public sealed class AuditLogGrain(
    IAuditStore store, AuditScrubber scrubber, TimeProvider clock, IOptions<AuditOptions> options, ILogger<AuditLogGrain> logger)
    : Grain, IAuditLogGrain
{
    private const int MaxConflictRetries = 20;
    private readonly Queue<PendingAppend> _queue = new();
    private AuditHead _head = null!;
    private bool _writing;

    // The current (or last, then finished) run of WriteAll; _writing tells whether one is on.
    private Task _writer = Task.CompletedTask;
    private int _durableQueued;
    private TaskCompletionSource? _writeNow;

    private string Tenant => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken ct) => _head = await store.ReadHeadAsync(Tenant, ct);

    public Task<long> AppendDurable(AuditEvent auditEvent) => Enqueue(auditEvent, durable: true).Committed.Task;

    public Task Append(AuditEvent auditEvent)
    {
        Enqueue(auditEvent, durable: false);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken ct)
    {
        // What was queued is written before the activation goes, gathering or not.
        _writeNow?.TrySetResult();
        await _writer.WaitAsync(ct);
    }

    public Task AppendMany(ImmutableArray<AuditEvent> auditEvents)
    {
        foreach (var e in Checked(auditEvents))
            Queue(e, durable: false);
        Write();
        return Task.CompletedTask;
    }

    public Task AppendManyDurable(ImmutableArray<AuditEvent> auditEvents)
    {
        var pending = Checked(auditEvents).Select(e => Queue(e, durable: true)).ToList();
        // All queued before the write starts, so they go in one transaction (up to MaxBatch).
        Write();
        return Task.WhenAll(pending.Select(p => p.Committed.Task));
    }

    /// <summary>All or none: every event is checked before the first is queued.</summary>
    private ImmutableArray<AuditEvent> Checked(ImmutableArray<AuditEvent> auditEvents) =>
        auditEvents.FirstOrDefault(e => e.Tenant != Tenant) is { } stranger ? throw WrongTenant(stranger) : auditEvents;

    private ArgumentException WrongTenant(AuditEvent auditEvent) =>
        new($"event for tenant {auditEvent.Tenant} sent to the log of {Tenant}");

    private PendingAppend Enqueue(AuditEvent auditEvent, bool durable)
    {
        var pending = Queue(auditEvent, durable);
        Write();
        return pending;
    }

    private PendingAppend Queue(AuditEvent auditEvent, bool durable)
    {
        if (auditEvent.Tenant != Tenant)
            throw WrongTenant(auditEvent);
        var pending = new PendingAppend(scrubber.Scrub(auditEvent), durable);
        _queue.Enqueue(pending);
        if (durable)
            _durableQueued++;
        if (durable || _queue.Count >= options.Value.MaxBatch)
            _writeNow?.TrySetResult();
        return pending;
    }

    /// <summary>Starts the writer unless it runs; it may write at once, so whatever belongs together is queued first.</summary>
    private void Write()
    {
        if (_writing)
            return;
        _writing = true;
        _writer = WriteAll();
    }

    private async Task WriteAll()
    {
        try
        {
            while (_queue.Count > 0)
            {
                await Gather();
                var batch = new List<PendingAppend>();
                while (batch.Count < options.Value.MaxBatch && _queue.TryDequeue(out var next))
                {
                    batch.Add(next);
                    if (next.Durable)
                        _durableQueued--;
                }
                await WriteBatch(batch);
            }
        }
        finally
        {
            _writing = false;
        }
    }

    /// <summary>
    /// Rows nobody waits for (egress decisions come thousands a second) gather for a moment before
    /// a commit, since every commit is a flush to disk; a durable append or a full batch ends the wait.
    /// Real time, not the grain's clock: this paces the disk, it is no deadline.
    /// </summary>
    private async Task Gather()
    {
        var linger = options.Value.Linger;
        if (linger <= TimeSpan.Zero || _durableQueued > 0 || _queue.Count >= options.Value.MaxBatch)
            return;
        _writeNow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await Task.WhenAny(_writeNow.Task, Task.Delay(linger));
        _writeNow = null;
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

    private sealed class PendingAppend(AuditEvent auditEvent, bool durable)
    {
        public AuditEvent Event { get; } = auditEvent;
        public bool Durable { get; } = durable;
        public TaskCompletionSource<long> Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
