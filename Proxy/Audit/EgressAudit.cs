using System.Collections.Immutable;
using System.Globalization;
using System.Threading.Channels;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Tenants;

namespace AgentCluster.Proxy.Audit;

/// <summary>What one request was and what became of it; the reason is the real one, never what the sandbox saw.</summary>
public sealed record EgressDecision(
    string? Tenant, string? Session, string Method, string Host, int Port, string Path,
    int Status, long BytesIn, long BytesOut, TimeSpan Latency, string Decision, string Reason)
{
    /// <summary>The client's address; what a denial nobody can be named for is counted under.</summary>
    public System.Net.IPAddress? Source { get; init; }
}

/// <summary>
/// One audit row per decision, queued (not awaited) so the audit never adds to a request's
/// latency: a request only enqueues its decision, and the row is made on the way out. Rows go to
/// the tenant's log in bursts, one grain call per tenant for all that queued up over a few
/// milliseconds; the queue is drained when the proxy stops.
/// </summary>
/// <remarks>A denial with no session (no, bad or throttled credential) is counted by <see cref="UnauthenticatedDenials"/> instead.</remarks>
public sealed class EgressAudit(IClusterClient cluster, UnauthenticatedDenials unauthenticated, ILogger<EgressAudit> logger) : BackgroundService
{
    /// <summary>A swapped request's row before it goes out, durable; its status and bytes follow as <see cref="Completed"/>.</summary>
    public const string Forwarding = "forwarding";

    public const string Completed = "completed";

    private const int MaxPath = 256;
    private const int MaxBurst = 512;
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(10);

    // Past this the proxy is far behind the cluster: rows then go one call each rather than wait.
    private const int MaxQueued = 64 * 1024;

    // Concurrent swapped requests wait on one commit, not one each.
    private readonly DurableRows _durable = new((tenant, rows) => cluster.GetGrain<IAuditLogGrain>(tenant).AppendManyDurable(rows));

    // Unbounded with one reader takes no lock per write; the count is the bound.
    private readonly Channel<EgressDecision> _decisions = Channel.CreateUnbounded<EgressDecision>(new UnboundedChannelOptions { SingleReader = true });
    private int _queued;

    public void Record(EgressDecision decision)
    {
        if (decision.Session is null)
        {
            unauthenticated.Count(decision);
            return;
        }
        if (Interlocked.Increment(ref _queued) <= MaxQueued && _decisions.Writer.TryWrite(decision))
            return;
        Interlocked.Decrement(ref _queued);
        var row = Row(decision);
        _ = Send(row.Tenant, [row]);
    }

    /// <summary>
    /// Writes the decision's row and returns once it is committed (with those of concurrent callers,
    /// <see cref="DurableRows"/>): false when it could not be, and then what it records must not
    /// happen. For the one kind of request worth the wait: one that carries a real secret out.
    /// </summary>
    public async Task<bool> RecordDurably(EgressDecision decision)
    {
        var row = Row(decision);
        try
        {
            await _durable.Commit(row);
            return true;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "An egress audit row of tenant {Tenant} could not be made durable", row.Tenant);
            return false;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _decisions.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var burst = new List<AuditEvent>(MaxBurst);
        // Runs until the queue is completed and empty, not until the stop token: what is queued is sent.
        while (await _decisions.Reader.WaitToReadAsync(CancellationToken.None))
        {
            // A moment's gathering turns thousands of rows a second into at most a hundred grain calls.
            if (Volatile.Read(ref _queued) < MaxBurst && !_decisions.Reader.Completion.IsCompleted)
                await Task.Delay(Gather);
            while (burst.Count < MaxBurst && _decisions.Reader.TryRead(out var decision))
            {
                Interlocked.Decrement(ref _queued);
                burst.Add(Row(decision));
            }
            await Task.WhenAll(burst.GroupBy(e => e.Tenant).Select(g => Send(g.Key, [.. g])));
            burst.Clear();
        }
    }

    private static AuditEvent Row(EgressDecision d)
    {
        var forwarded = d.Decision is "forwarded" or "tunnelled" or Forwarding;
        var detail = AuditEvent.NoDetail
            .Add("method", d.Method).Add("host", d.Host).Add("port", Text(d.Port))
            .Add("path", d.Path.Length > MaxPath ? d.Path[..MaxPath] : d.Path)
            .Add("status", Text(d.Status)).Add("bytesIn", Text(d.BytesIn)).Add("bytesOut", Text(d.BytesOut))
            .Add("latencyMs", d.Latency.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture))
            .Add("decision", d.Decision);
        var kind = d.Decision == Completed ? AuditKinds.EgressCompleted : forwarded ? AuditKinds.EgressForwarded : AuditKinds.EgressDenied;
        return new AuditEvent(d.Tenant ?? SystemTenant.Name, d.Session ?? "anonymous", kind, d.Session ?? "",
            forwarded || d.Decision == Completed ? AuditOutcomes.Success : d.Decision == "failed" ? AuditOutcomes.Failed : AuditOutcomes.Denied,
            d.Reason, detail);
    }

    private async Task Send(string tenant, ImmutableArray<AuditEvent> rows)
    {
        try
        {
            await cluster.GetGrain<IAuditLogGrain>(tenant).AppendMany(rows);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "{Count} egress audit rows of tenant {Tenant} were not queued", rows.Length, tenant);
        }
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
