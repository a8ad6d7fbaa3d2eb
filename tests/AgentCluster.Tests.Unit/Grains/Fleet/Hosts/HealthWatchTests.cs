using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;
using static AgentCluster.Tests.Unit.Grains.Fleet.Hosts.HostTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

public sealed class HealthWatchTests
{
    private readonly HandClock _clock = new(Now);
    private readonly HealthWatch _watch;

    public HealthWatchTests() =>
        _watch = new HealthWatch(new FleetOptions { UnhealthyAfter = 3, ReconcileInterval = TimeSpan.FromSeconds(10) }, _clock);

    [Fact]
    public void The_failure_that_reaches_the_threshold_turns_the_host_unhealthy_once()
    {
        Assert.False(_watch.Failed("refused", HostHealth.Healthy));
        Assert.False(_watch.Failed("refused", HostHealth.Healthy));
        Assert.True(_watch.Failed("timed out", HostHealth.Healthy));
        Assert.False(_watch.Failed("timed out", HostHealth.Unhealthy));
        Assert.Equal((4, "timed out", Now), (_watch.Failures, _watch.LastError, _watch.LastCheckAt));
    }

    [Fact]
    public void A_good_check_clears_the_failures_and_the_error()
    {
        _watch.Failed("refused", HostHealth.Healthy);
        _clock.Now = Now.AddSeconds(7);
        _watch.Succeeded();
        Assert.Equal((0, null, Now.AddSeconds(7)), (_watch.Failures, _watch.LastError, _watch.LastCheckAt));
        Assert.False(_watch.Failed("refused", HostHealth.Healthy));
    }

    [Fact]
    public void A_timer_check_is_skipped_within_half_an_interval_of_the_last_one()
    {
        Assert.False(_watch.CheckedJustNow);
        _watch.Succeeded();
        _clock.Now = Now.AddSeconds(4.9);
        Assert.True(_watch.CheckedJustNow);
        _clock.Now = Now.AddSeconds(5);
        Assert.False(_watch.CheckedJustNow);
    }

    [Fact]
    public void The_sessions_to_mark_lost_are_taken_once_and_kept_until_a_good_check_or_a_move()
    {
        var asked = 0;
        HashSet<string> Here()
        {
            asked++;
            return [Session(1), Session(2)];
        }

        var untold = _watch.UntoldLost(Here);
        untold.Remove(Session(1));
        Assert.Equal([Session(2)], _watch.UntoldLost(Here));
        Assert.Equal(1, asked);

        _watch.Succeeded();
        Assert.Equal(2, _watch.UntoldLost(Here).Count);
        _watch.Moved();
        _watch.UntoldLost(Here);
        Assert.Equal(3, asked);
    }

    [Fact]
    public void A_session_not_told_its_sandbox_is_gone_stays_until_it_is()
    {
        _watch.ToldGone(Session(1), told: false);
        _watch.ToldGone(Session(2), told: true);
        Assert.Equal([Session(1)], _watch.UntoldGone);
        _watch.ToldGone(Session(1), told: true);
        Assert.Empty(_watch.UntoldGone);
    }

    [Fact]
    public void A_move_starts_a_new_generation_with_no_failures()
    {
        _watch.Failed("refused", HostHealth.Healthy);
        var generation = _watch.Generation;
        _watch.Moved();
        Assert.Equal((generation + 1, 0), (_watch.Generation, _watch.Failures));
    }
}
