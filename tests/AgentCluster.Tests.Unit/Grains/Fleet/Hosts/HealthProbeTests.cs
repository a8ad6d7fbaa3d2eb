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
        NullLogger.Instance);

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
}
