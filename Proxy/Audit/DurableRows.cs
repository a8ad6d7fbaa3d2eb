using System.Collections.Concurrent;
using System.Collections.Immutable;
using AgentCluster.Grains.Audit;

namespace AgentCluster.Proxy.Audit;

/// <summary>
/// Group commit for the rows a request waits on (a swapped request's <c>egress.forwarded</c>):
/// per tenant, one commit in flight at a time. A row that finds none in flight goes at once, so
/// an idle proxy adds no wait of its own; rows that come while one is in flight gather and go
/// together (one call, one transaction) as soon as it returns, or before that once
/// <see cref="MaxBatch"/> have gathered. Under load the commit in flight is the gathering
/// window, paced by the store; a fixed timer would add its wait to every row of an idle proxy.
/// </summary>
public sealed class DurableRows(Func<string, ImmutableArray<AuditEvent>, Task> commit)
{
    public const int MaxBatch = 64;

    private readonly ConcurrentDictionary<string, TenantRows> _tenants = new(StringComparer.Ordinal);

    /// <summary>Completes once the row is committed; faults when its batch could not be.</summary>
    public Task Commit(AuditEvent row) => _tenants.GetOrAdd(row.Tenant, tenant => new TenantRows(tenant, commit)).Add(row);

    private sealed class TenantRows(string tenant, Func<string, ImmutableArray<AuditEvent>, Task> commit)
    {
        private readonly Lock _gate = new();
        private List<Waiting> _gathered = [];
        private int _inFlight;

        public Task Add(AuditEvent row)
        {
            var waiting = new Waiting(row);
            List<Waiting>? batch = null;
            lock (_gate)
            {
                _gathered.Add(waiting);
                if (_inFlight == 0 || _gathered.Count >= MaxBatch)
                    batch = Take();
            }
            if (batch is not null)
                _ = Send(batch);
            return waiting.Done.Task;
        }

        // Under the lock.
        private List<Waiting> Take()
        {
            var batch = _gathered;
            _gathered = [];
            _inFlight++;
            return batch;
        }

        private async Task Send(List<Waiting> batch)
        {
            for (List<Waiting>? next = batch; next is not null;)
            {
                try
                {
                    await commit(tenant, [.. next.Select(w => w.Row)]);
                    next.ForEach(w => w.Done.TrySetResult());
                }
                catch (Exception e)
                {
                    next.ForEach(w => w.Done.TrySetException(e));
                }
                lock (_gate)
                {
                    _inFlight--;
                    next = _inFlight == 0 && _gathered.Count > 0 ? Take() : null;
                }
            }
        }
    }

    private sealed class Waiting(AuditEvent row)
    {
        public AuditEvent Row { get; } = row;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
