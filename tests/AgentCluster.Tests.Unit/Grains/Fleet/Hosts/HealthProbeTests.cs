using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using AgentCluster.Grains.Sessions;
using AgentCluster.Tests.Doubles.Fleet;
using Microsoft.Extensions.Logging.Abstractions;
using static AgentCluster.Tests.Unit.Grains.Fleet.Hosts.HostTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

public sealed class HealthProbeTests
{
    private readonly TestHost _host = new();
    private readonly HealthProbe _probe;

    public HealthProbeTests() => _probe = new HealthProbe(
        new Reconciliation(_host.Kills, new SessionNotices(NullLogger.Instance), new FakeClaims(), TimeSpan.FromSeconds(30), _host.Clock, NullLogger.Instance),
        new SandboxCanary(FleetTestData.Builder(), _host.Options.Canary, _host.Options.ProxyPort, _host.Clock), NullLogger.Instance);

    private static Task Lose(string session, SessionLoss loss) => Task.CompletedTask;

    [Fact]
    public async Task A_new_host_that_answers_is_reconciled_then_healthy_with_the_sessions_it_saw()
    {
        _host.State.Health = HostHealth.Unknown;
        var leftover = _host.Engine.Add(_host.Clock.GetUtcNow().AddSeconds(-1), Session(1));
        _host.Engine.Add(_host.Clock.GetUtcNow().AddMinutes(5), Session(2));

        var check = await _probe.Run(_host.Context, Lose);

        Assert.Equal((true, false), (check.Changed, check.Failed));
        Assert.Equal(leftover, Assert.Single(check.Report.Killed));
        Assert.Equal(HostHealth.Healthy, _host.State.Health);
        Assert.Equal([Session(2)], _host.State.Sessions);
        Assert.Null(_host.Health.LastError);
    }

    [Fact]
    public async Task A_healthy_host_persists_only_when_the_sessions_it_saw_changed()
    {
        Assert.False((await _probe.Run(_host.Context, Lose)).Changed);
        _host.Engine.Add(_host.Clock.GetUtcNow().AddMinutes(5), Session(1));
        Assert.True((await _probe.Run(_host.Context, Lose)).Changed);
        Assert.Equal([Session(1)], _host.State.Sessions);

        var again = await _probe.Run(_host.Context, Lose);

        Assert.Equal((false, false), (again.Changed, again.Failed));
    }

    [Fact]
    public async Task Failed_checks_in_a_row_turn_the_host_unhealthy_once()
    {
        _host.Engine.Down = true;
        for (var i = 1; i < _host.Options.UnhealthyAfter; i++)
        {
            var check = await _probe.Run(_host.Context, Lose);
            Assert.Equal((false, true, "engine is down"), (check.Changed, check.Failed, check.Report.Error));
        }

        var turned = await _probe.Run(_host.Context, Lose);
        Assert.Equal((true, true), (turned.Changed, turned.Failed));
        Assert.Equal(HostHealth.Unhealthy, _host.State.Health);

        var still = await _probe.Run(_host.Context, Lose);
        Assert.Equal((false, true), (still.Changed, still.Failed));
        Assert.Equal(_host.Options.UnhealthyAfter + 1, _host.Health.Failures);
    }

    [Fact]
    public async Task A_check_that_began_on_an_endpoint_the_host_has_left_says_nothing()
    {
        _host.State.Health = HostHealth.Unknown;
        _host.Engine.Add(_host.Clock.GetUtcNow().AddSeconds(-1), Session(1));
        _host.Engine.KillGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var check = _probe.Run(_host.Context, Lose);
        while (Volatile.Read(ref _host.Engine.KillsWaiting) == 0)
            await Task.Delay(10);
        _host.Health.Moved();
        _host.Engine.KillGate.SetResult();

        Assert.Equal((false, false), ((await check).Changed, (await check).Failed));
        Assert.Equal(HostHealth.Unknown, _host.State.Health);
        Assert.Null(_host.Health.LastCheckAt);
    }

    [Fact]
    public void The_sessions_here_are_those_persisted_and_those_counted_since()
    {
        _host.State.Sessions = [Session(1)];
        _host.Tracked(Session(2));

        Assert.Equal([Session(1), Session(2)], HealthProbe.SessionsHere(_host.Context).Order());
    }

    [Fact]
    public async Task A_host_whose_canary_reaches_a_cluster_port_is_unsafe_until_a_later_canary_finds_it_closed()
    {
        _host.State.Health = HostHealth.Unknown;
        _host.Engine.CanaryAnswers[22] = CanaryVerdict.Open;

        var found = await _probe.Run(_host.Context, Lose);
        Assert.Equal((true, true), (found.Changed, found.TurnedUnsafe));
        Assert.Equal(HostHealth.Unsafe, _host.State.Health);
        Assert.Contains("port(s) 22;", _host.State.UnsafeReason);

        // Closed again, but the canary's interval has not passed: the verdict stands.
        _host.Engine.CanaryAnswers.Clear();
        var stands = await _probe.Run(_host.Context, Lose);
        Assert.Equal((false, false, HostHealth.Unsafe), (stands.Changed, stands.TurnedUnsafe, _host.State.Health));
        Assert.Equal(1, _host.Engine.CanaryRuns);

        _host.Clock.Now += _host.Options.Canary.Interval;
        var cleared = await _probe.Run(_host.Context, Lose);
        Assert.Equal((true, false), (cleared.Changed, cleared.TurnedUnsafe));
        Assert.Equal((HostHealth.Healthy, null), (_host.State.Health, _host.State.UnsafeReason));
    }

    [Fact]
    public async Task A_healthy_host_runs_its_canary_once_per_interval_and_turns_unsafe_at_the_next_one()
    {
        await _probe.Run(_host.Context, Lose);
        await _probe.Run(_host.Context, Lose);
        Assert.Equal(1, _host.Engine.CanaryRuns);

        _host.Engine.CanaryAnswers[5432] = CanaryVerdict.Open;
        _host.Clock.Now += _host.Options.Canary.Interval;
        var check = await _probe.Run(_host.Context, Lose);

        Assert.True(check.TurnedUnsafe);
        Assert.Equal(2, _host.Engine.CanaryRuns);
    }

    [Fact]
    public async Task A_canary_that_could_not_run_is_tried_again_at_the_next_check()
    {
        _host.State.Health = HostHealth.Unknown;
        _host.Engine.CanaryError = "docker create took longer than 15 s";

        Assert.True((await _probe.Run(_host.Context, Lose)).TurnedUnsafe);
        Assert.StartsWith("the canary could not run", _host.State.UnsafeReason);

        _host.Engine.CanaryError = null;
        await _probe.Run(_host.Context, Lose);
        Assert.Equal((HostHealth.Healthy, 2), (_host.State.Health, _host.Engine.CanaryRuns));
    }
}
