using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;
using static AgentCluster.Tests.Unit.Grains.Fleet.Hosts.HostTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

public sealed class ContainerLedgerTests
{
    private readonly ContainerLedger _ledger = new();

    [Fact]
    public void A_container_listed_while_its_launch_is_under_way_counts_once()
    {
        Assert.True(_ledger.BeginLaunch(Session(1)));
        Assert.False(_ledger.BeginLaunch(Session(1)));
        Assert.Equal(1, _ledger.Running);

        _ledger.Rebuild(_ledger.Epoch, [Sandbox("c1", Session(1))]);
        Assert.Equal(1, _ledger.Running);

        _ledger.Track(Sandbox("c1", Session(1)));
        _ledger.EndLaunch(Session(1));
        Assert.Equal(1, _ledger.Running);
    }

    [Fact]
    public void An_idle_pool_container_holds_no_session_slot_and_a_claimed_one_does()
    {
        _ledger.Track(Pooled("p1", "pool-1"));
        Assert.Equal(0, _ledger.Running);
        _ledger.Track(Pooled("p2", "pool-2", state: "running", boundTo: Session(2)));
        Assert.Equal(1, _ledger.Running);
    }

    [Fact]
    public void Ids_forgotten_since_a_list_began_are_not_brought_back_by_it()
    {
        _ledger.Track(Sandbox("old", Session(1)));
        _ledger.Forget("old");
        var listedAt = _ledger.Epoch;
        _ledger.Track(Sandbox("c1", Session(2)));
        _ledger.Forget("c1");

        _ledger.Rebuild(listedAt, [Sandbox("old", Session(1)), Sandbox("c1", Session(2))]);

        // Forgotten before the list began: the list is the truth.
        Assert.True(_ledger.Knows("old"));
        Assert.False(_ledger.Knows("c1"));
    }

    [Fact]
    public void Launches_since_a_list_began_are_kept_and_older_ones_it_does_not_show_are_dropped()
    {
        _ledger.Track(Sandbox("before", Session(1)));
        var listedAt = _ledger.Epoch;
        _ledger.Track(Sandbox("since", Session(2)));

        _ledger.Rebuild(listedAt, [Sandbox("listed", Session(3))]);

        Assert.True(_ledger.Listed);
        Assert.False(_ledger.Knows("before"));
        Assert.True(_ledger.Knows("since"));
        Assert.True(_ledger.Knows("listed"));
        Assert.Equal(2, _ledger.Running);
    }

    [Fact]
    public async Task Kills_of_the_same_container_share_one_call()
    {
        var calls = 0;
        var engine = new TaskCompletionSource<bool>();
        Task<bool> Kill(string id)
        {
            calls++;
            return engine.Task;
        }

        var first = _ledger.Kill("c1", Kill);
        var second = _ledger.Kill("c1", Kill);
        var other = _ledger.Kill("c2", Kill);
        Assert.Same(first, second);
        Assert.Equal(2, calls);

        engine.SetResult(true);
        Assert.True(await second);
        await other;
        // Ended: the next kill makes a call of its own.
        await _ledger.Kill("c1", Kill);
        Assert.Equal(3, calls);
    }

    [Fact]
    public void The_next_kill_is_due_at_the_earliest_deadline_not_already_being_killed()
    {
        Assert.Null(_ledger.NextKillDue());
        _ledger.Track(Sandbox("soon", Session(1), Now.AddSeconds(5)));
        _ledger.Track(Sandbox("later", Session(2), Now.AddSeconds(50)));
        Assert.Equal(Now.AddSeconds(5), _ledger.NextKillDue());

        var due = _ledger.TakeDue(Now.AddSeconds(5));

        Assert.Equal(["soon"], due.Select(c => c.Id));
        Assert.Equal(Now.AddSeconds(50), _ledger.NextKillDue());
        Assert.Empty(_ledger.TakeDue(Now.AddSeconds(5)));
    }

    [Fact]
    public void A_failed_kill_at_the_deadline_is_retried_later_and_never_at_the_passed_deadline()
    {
        _ledger.Track(Sandbox("c1", Session(1), Now));
        _ledger.TakeDue(Now);

        _ledger.KillEnded("c1", killed: false, retryAt: Now.AddSeconds(5));
        Assert.Equal(Now.AddSeconds(5), _ledger.NextKillDue());

        _ledger.TakeDue(Now.AddSeconds(5));
        _ledger.KillEnded("c1", killed: false, retryAt: Now.AddSeconds(-1));
        Assert.Equal(Now, _ledger.NextKillDue());
    }

    [Fact]
    public void An_extension_moves_the_deadline_and_drops_the_retry_time()
    {
        _ledger.Track(Sandbox("c1", Session(1), Now));
        _ledger.TakeDue(Now);
        _ledger.KillEnded("c1", killed: false, retryAt: Now.AddSeconds(5));

        Assert.True(_ledger.Extend("c1", c => c.ExtendedTo(Now.AddMinutes(3))));

        Assert.Equal(Now.AddMinutes(3), _ledger.NextKillDue());
        Assert.False(_ledger.Extend("unknown", c => c));
    }

    [Fact]
    public void A_rebuild_drops_the_retry_times_of_containers_it_no_longer_knows()
    {
        _ledger.Track(Sandbox("c1", Session(1), Now));
        _ledger.TakeDue(Now);
        _ledger.KillEnded("c1", killed: false, retryAt: Now.AddSeconds(5));

        _ledger.Rebuild(_ledger.Epoch, []);
        _ledger.Track(Sandbox("c1", Session(1), Now));

        Assert.Equal(Now, _ledger.NextKillDue());
    }

    [Fact]
    public void Only_real_session_ids_are_sessions_here()
    {
        _ledger.Track(Sandbox("c1", Session(1)));
        _ledger.Track(Sandbox("c2", "ses_by_hand"));
        _ledger.Track(Pooled("p1", "pool-1"));
        Assert.Equal([Session(1)], _ledger.Sessions);
    }

    [Fact]
    public void A_list_does_not_judge_sessions_launched_since_it_began_or_launching_now()
    {
        var listedAt = _ledger.Epoch;
        _ledger.Track(Sandbox("c2", Session(2)));
        _ledger.BeginLaunch(Session(3));

        var unlisted = _ledger.Unlisted([Session(1), Session(2), Session(3), Session(4)], [Sandbox("c1", Session(1))], listedAt);

        Assert.Equal([Session(4)], unlisted);
    }

    [Fact]
    public void A_move_forgets_what_the_old_endpoint_had_and_asks_for_a_new_list()
    {
        _ledger.Rebuild(_ledger.Epoch, [Sandbox("c1", Session(1))]);
        _ledger.Moved();
        Assert.False(_ledger.Listed);
        Assert.False(_ledger.Knows("c1"));
        Assert.Equal(0, _ledger.Running);
    }

    [Fact]
    public void Every_change_takes_a_later_epoch()
    {
        var start = _ledger.Epoch;
        var tracked = _ledger.Track(Sandbox("c1", Session(1)));
        var next = _ledger.NextEpoch();
        _ledger.Forget("c1");
        Assert.True(start < tracked && tracked < next && next < _ledger.Epoch);
    }

    [Fact]
    public void The_deadline_timer_fires_at_the_next_deadline_at_once_when_overdue_and_never_when_none()
    {
        Assert.Equal(Timeout.InfiniteTimeSpan, _ledger.KillDueIn(Now));
        _ledger.Track(Sandbox("c1", Session(1), deadline: Now.AddSeconds(3)));
        Assert.Equal(TimeSpan.FromSeconds(3), _ledger.KillDueIn(Now));
        Assert.Equal(TimeSpan.Zero, _ledger.KillDueIn(Now.AddSeconds(3)));
        Assert.Equal(TimeSpan.Zero, _ledger.KillDueIn(Now.AddMinutes(1)));
    }
}
