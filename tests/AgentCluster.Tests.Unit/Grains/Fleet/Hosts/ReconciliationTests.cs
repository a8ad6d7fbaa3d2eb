using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using AgentCluster.Grains.Sessions;
using AgentCluster.Tests.Doubles.Fleet;
using Microsoft.Extensions.Logging.Abstractions;
using static AgentCluster.Tests.Unit.Grains.Fleet.Hosts.HostTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

public sealed class ReconciliationTests
{
    private static readonly TimeSpan ClaimGrace = TimeSpan.FromSeconds(30);

    private readonly TestHost _host = new();
    private readonly FakeClaims _claims = new();
    private readonly List<(string Session, SessionLoss Loss)> _told = [];
    private readonly Reconciliation _reconciliation;

    public ReconciliationTests() => _reconciliation = new Reconciliation(
        _host.Kills, new SessionNotices(NullLogger.Instance), _claims, ClaimGrace, _host.Clock, NullLogger.Instance);

    private Task Lose(string session, SessionLoss loss)
    {
        _told.Add((session, loss));
        return Task.CompletedTask;
    }

    private string Container(int session, TimeSpan deadlineIn, TimeSpan? age = null) =>
        _host.Engine.Add(_host.Clock.GetUtcNow() + deadlineIn, Session(session), _host.Clock.GetUtcNow() - (age ?? TimeSpan.FromMinutes(1)));

    [Fact]
    public async Task The_expired_and_the_unclaimed_are_killed_their_sessions_told_and_the_rest_counted()
    {
        var expired = Container(1, TimeSpan.FromSeconds(-1));
        var unclaimed = Container(2, TimeSpan.FromMinutes(5));
        var young = Container(3, TimeSpan.FromMinutes(5), age: TimeSpan.Zero);
        var claimed = Container(4, TimeSpan.FromMinutes(5));
        _claims.Disowned[Session(2)] = true;
        _claims.Disowned[Session(3)] = true;

        var report = await _reconciliation.Run(_host.Context, [], backFromUnhealthy: false, Lose);

        Assert.Equal(4, report.Listed);
        Assert.Equal(new[] { expired, unclaimed }.Order(), report.Killed.Order());
        Assert.Equal(new[] { young, claimed }.Order(), _host.Engine.Containers.Select(c => c.Id).Order());
        Assert.Equal([Session(1), Session(2)], _told.Select(t => t.Session).Order());
        Assert.Equal(2, _host.Ledger.Running);
        Assert.True(_host.Ledger.Listed);
    }

    [Fact]
    public async Task Each_session_whose_sandbox_it_killed_gets_one_reaped_row_with_the_reason()
    {
        var rows = new List<AgentCluster.Grains.Audit.AuditEvent>();
        var reconciliation = new Reconciliation(_host.Kills, new SessionNotices(NullLogger.Instance), _claims, ClaimGrace, _host.Clock,
            NullLogger.Instance, row => { rows.Add(row); return Task.CompletedTask; });
        Container(1, TimeSpan.FromSeconds(-1));
        Container(2, TimeSpan.FromMinutes(5));
        var unkillable = Container(3, TimeSpan.FromSeconds(-1));
        _host.Engine.Unkillable[unkillable] = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => reconciliation.Run(_host.Context, [], backFromUnhealthy: false, Lose));

        var row = Assert.Single(rows);
        Assert.Equal(("session.reaped", Session(1), "success", "its deadline passed"), (row.Kind, row.Subject, row.Outcome, row.Reason));
        Assert.Equal("h1", row.Detail["host"]);
    }

    [Fact]
    public async Task Back_from_unhealthy_even_a_young_sandbox_of_a_lost_session_is_asked_about()
    {
        var young = Container(1, TimeSpan.FromMinutes(5), age: TimeSpan.Zero);
        _claims.Disowned[Session(1)] = true;

        var report = await _reconciliation.Run(_host.Context, [Session(1)], backFromUnhealthy: true, Lose);

        Assert.Equal(young, Assert.Single(report.Killed));
    }

    [Fact]
    public async Task A_session_whose_sandbox_the_engine_no_longer_lists_is_told_so()
    {
        var report = await _reconciliation.Run(_host.Context, [Session(7)], backFromUnhealthy: false, Lose);

        Assert.Equal(0, report.Listed);
        var (session, loss) = Assert.Single(_told);
        Assert.Equal((Session(7), "its sandbox on h1 is gone: the engine no longer lists it"), (session, loss.Reason));
    }

    [Fact]
    public async Task A_failed_kill_fails_the_reconcile_and_the_container_stays_counted()
    {
        var expired = Container(1, TimeSpan.FromSeconds(-1));
        _host.Engine.Unkillable[expired] = true;

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => _reconciliation.Run(_host.Context, [], backFromUnhealthy: false, Lose));

        Assert.StartsWith("could not kill 1 sandbox(es)", e.Message);
        Assert.True(_host.Ledger.Knows(expired));
    }

    [Fact]
    public async Task A_session_that_cannot_be_asked_keeps_its_sandbox()
    {
        var kept = Container(1, TimeSpan.FromMinutes(5));
        var reconciliation = new Reconciliation(_host.Kills, new SessionNotices(NullLogger.Instance), new UnreachableClaims(), ClaimGrace, _host.Clock, NullLogger.Instance);

        var report = await reconciliation.Run(_host.Context, [], backFromUnhealthy: false, Lose);

        Assert.Empty(report.Killed);
        Assert.True(_host.Ledger.Knows(kept));
    }

    [Fact]
    public async Task A_claimed_pool_container_is_judged_by_its_sessions_deadline()
    {
        var containers = new PoolContainers(FleetTestData.Builder(), 8443, _host.Clock, _host.Kills, _host.Desktops, NullLogger.Instance);
        Assert.True(await containers.Make(_host.Context, TestHost.Entry, (_, _, _) => Task.FromResult(true)));
        var spec = _host.Spec(Session(1), ttl: TimeSpan.FromMinutes(1));
        var warm = _host.Pool.Take(spec, _host.Health.Generation)!;
        Assert.NotNull(await new PoolClaim(_host.Kills, _host.Desktops, 8443, NullLogger.Instance).Run(_host.Context, warm, spec, _ => Task.FromResult<string?>(null), () => { }, () => Task.FromResult<string?>(null)));

        _host.Clock.Now += TimeSpan.FromMinutes(2);
        var report = await _reconciliation.Run(_host.Context, [Session(1)], backFromUnhealthy: false, Lose);

        Assert.Equal(warm.Id, Assert.Single(report.Killed));
    }

    [Fact]
    public async Task Another_deployments_containers_on_a_shared_engine_are_left_to_it_even_expired_unclaimed_or_idle_pool()
    {
        var context = _host.Context with { Deployment = "ours" };
        string Labelled(string? deployment, int session, TimeSpan deadlineIn, string? pool = null)
        {
            var labels = new Dictionary<string, string>
            {
                [SandboxLabels.Session] = Session(session),
                [SandboxLabels.Tenant] = "t",
                [SandboxLabels.Deadline] = (_host.Clock.GetUtcNow() + deadlineIn).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            if (deployment is not null)
                labels[SandboxLabels.Deployment] = deployment;
            if (pool is not null)
                labels[SandboxLabels.Pool] = pool;
            return _host.Engine.Add(labels, _host.Clock.GetUtcNow() - TimeSpan.FromMinutes(1), "running", SandboxContainerSpec.ContainerName(Session(session)));
        }
        var theirsLive = Labelled("theirs", 1, TimeSpan.FromMinutes(5));
        var theirsExpired = Labelled("theirs", 2, TimeSpan.FromSeconds(-1));
        var theirsIdlePool = Labelled("theirs", 3, TimeSpan.FromMinutes(5), pool: TestHost.Name);
        var oursUnclaimed = Labelled("ours", 4, TimeSpan.FromMinutes(5));
        var legacyUnclaimed = Labelled(null, 5, TimeSpan.FromMinutes(5));
        var oursClaimed = Labelled("ours", 6, TimeSpan.FromMinutes(5));
        foreach (var session in new[] { 1, 2, 3, 4, 5 })
            _claims.Disowned[Session(session)] = true;

        var report = await _reconciliation.Run(context, [], backFromUnhealthy: false, Lose);

        Assert.Equal(new[] { oursUnclaimed, legacyUnclaimed }.Order(), report.Killed.Order());
        Assert.Equal(new[] { theirsLive, theirsExpired, theirsIdlePool, oursClaimed }.Order(), _host.Engine.Containers.Select(c => c.Id).Order());
        Assert.Equal([Session(4), Session(5)], _told.Select(t => t.Session).Order());
        Assert.Equal(3, report.Listed);
        Assert.Equal(1, _host.Ledger.Running);
        Assert.False(_host.Ledger.Knows(theirsLive));
    }

    private sealed class UnreachableClaims : ISandboxClaims
    {
        public Task<bool> IsLive(string sessionId, string containerId) => throw new TimeoutException("session grain did not answer");
    }
}
