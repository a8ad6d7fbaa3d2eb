using AgentCluster.Audit;

namespace AgentCluster.Client.Sdk;

/// <summary>
/// Runs the silo's own <see cref="AuditChain.Verify"/> over each tenant's run of rows as the export
/// streams them in (tenant, seq) order. It holds one row at a time, so a log of any size verifies
/// in constant memory.
/// </summary>
internal static class AuditChainVerifier
{
    // AuditChain.Verify pulls rows synchronously, so it runs on a thread of its own that waits on the stream.
    public static Task<IReadOnlyList<AuditTenantVerification>> VerifyAsync(
        IAsyncEnumerable<AuditEntry> rows, string? tenant, AuditAnchor? anchor, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(
            () => Verify(rows, tenant, anchor, cancellationToken),
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    private static IReadOnlyList<AuditTenantVerification> Verify(
        IAsyncEnumerable<AuditEntry> rows, string? tenant, AuditAnchor? anchor, CancellationToken cancellationToken)
    {
        var results = new List<AuditTenantVerification>();
        using var reader = new BlockingReader(rows.GetAsyncEnumerator(cancellationToken));
        while (reader.Peek() is { } first)
        {
            var verification = AuditChain.Verify(reader.RunOf(first.Tenant), anchor);
            reader.SkipRunOf(first.Tenant);
            results.Add(Result(first.Tenant, verification));
        }

        // No rows at all is a clean chain, unless the caller named a tenant or holds an anchor that says there were rows.
        if (results.Count == 0 && (tenant is not null || anchor is not null))
        {
            results.Add(Result(tenant ?? string.Empty, AuditChain.Verify([], anchor)));
        }

        return results;
    }

    private static AuditTenantVerification Result(string tenant, AuditVerification v) =>
        new(tenant, v.RowsChecked, v.Ok, v.FirstBadSeq, v.Problem);

    private sealed class BlockingReader(IAsyncEnumerator<AuditEntry> source) : IDisposable
    {
        private AuditEntry? _next;
        private bool _done;

        public AuditEntry? Peek()
        {
            if (_next is null && !_done)
            {
                if (source.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                {
                    _next = source.Current;
                }
                else
                {
                    _done = true;
                }
            }

            return _next;
        }

        public IEnumerable<AuditChainRow> RunOf(string tenant)
        {
            while (Peek() is { } row && row.Tenant == tenant)
            {
                _next = null;
                yield return row.ToChainRow();
            }
        }

        public void SkipRunOf(string tenant)
        {
            while (Peek() is { } row && row.Tenant == tenant)
            {
                _next = null;
            }
        }

        public void Dispose() => source.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
