using System.Collections.Immutable;
using AgentCluster.Grains.Audit;
using AgentCluster.Proxy.Audit;

namespace AgentCluster.Tests.Unit.Proxy.Audit;

/// <summary>The proxy's group commit, over a store whose commits the test completes by hand.</summary>
public sealed class DurableRowsTests
{
    private sealed class HeldCommits
    {
        public List<(string Tenant, ImmutableArray<AuditEvent> Rows, TaskCompletionSource Done)> Calls { get; } = [];

        public Task Commit(string tenant, ImmutableArray<AuditEvent> rows)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (Calls)
                Calls.Add((tenant, rows, done));
            return done.Task;
        }

        public IEnumerable<string> Subjects(int call) => Calls[call].Rows.Select(r => r.Subject);
    }

    private static AuditEvent Row(string subject, string tenant = "acme") =>
        new(tenant, "ses_1", AuditKinds.EgressForwarded, subject, AuditOutcomes.Success, "", AuditEvent.NoDetail);

    [Fact]
    public async Task A_row_with_no_commit_in_flight_goes_at_once_and_alone_and_waits_for_its_commit()
    {
        var store = new HeldCommits();
        var rows = new DurableRows(store.Commit);

        var first = rows.Commit(Row("a"));

        Assert.Equal(["a"], store.Subjects(0));
        Assert.False(first.IsCompleted);
        store.Calls[0].Done.SetResult();
        await first;
    }

    [Fact]
    public async Task Rows_that_come_while_a_commit_is_in_flight_go_together_once_it_returns()
    {
        var store = new HeldCommits();
        var rows = new DurableRows(store.Commit);
        var first = rows.Commit(Row("a"));
        var waiting = new[] { rows.Commit(Row("b")), rows.Commit(Row("c")), rows.Commit(Row("d")) };

        Assert.Single(store.Calls);
        store.Calls[0].Done.SetResult();
        await first;
        await Eventually(() => store.Calls.Count == 2);

        Assert.Equal(["b", "c", "d"], store.Subjects(1));
        Assert.DoesNotContain(waiting, t => t.IsCompleted);
        store.Calls[1].Done.SetResult();
        await Task.WhenAll(waiting);
    }

    [Fact]
    public async Task A_failed_commit_fails_every_row_of_its_batch_and_the_next_batch_still_goes()
    {
        var store = new HeldCommits();
        var rows = new DurableRows(store.Commit);
        var first = rows.Commit(Row("a"));
        var second = rows.Commit(Row("b"));

        store.Calls[0].Done.SetException(new InvalidOperationException("store down"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        await Eventually(() => store.Calls.Count == 2);
        store.Calls[1].Done.SetResult();
        await second;
        Assert.Equal(["b"], store.Subjects(1));
    }

    [Fact]
    public void A_full_batch_goes_without_waiting_for_the_commit_in_flight()
    {
        var store = new HeldCommits();
        var rows = new DurableRows(store.Commit);
        _ = rows.Commit(Row("first"));
        for (var i = 0; i < DurableRows.MaxBatch; i++)
            _ = rows.Commit(Row($"r{i}"));

        Assert.Equal(2, store.Calls.Count);
        Assert.Equal(DurableRows.MaxBatch, store.Calls[1].Rows.Length);
    }

    [Fact]
    public void Each_tenant_has_its_own_commit_in_flight()
    {
        var store = new HeldCommits();
        var rows = new DurableRows(store.Commit);
        _ = rows.Commit(Row("a1", "acme"));
        _ = rows.Commit(Row("b1", "bolt"));

        Assert.Equal(["acme", "bolt"], store.Calls.Select(c => c.Tenant));
    }

    // The next batch is sent from the first one's continuation, on the thread pool.
    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
            await Task.Delay(10);
        Assert.True(condition());
    }
}
