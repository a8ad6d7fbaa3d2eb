using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using static AgentCluster.Tests.Unit.Grains.Fleet.Hosts.HostTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

public sealed class SandboxKillsTests
{
    private readonly TestHost _host = new();

    [Fact]
    public async Task All_kills_each_and_says_which_could_not_be_killed()
    {
        var a = _host.Tracked(Session(1));
        var b = _host.Tracked(Session(2));
        _host.Engine.Unkillable[b.Id] = true;

        var (killed, failures) = await _host.Kills.All(_host.Context, [(a, "its deadline passed"), (b, "its deadline passed")]);

        Assert.Equal([a.Id], killed);
        Assert.StartsWith(b.Id + ": cannot kill", Assert.Single(failures));
        Assert.Equal([b.Id], _host.Engine.Containers.Select(c => c.Id));
    }

    [Fact]
    public async Task A_container_the_host_does_not_count_is_killed_only_when_the_engine_shows_it_is_a_sandbox()
    {
        var stranger = _host.Engine.Add(new Dictionary<string, string> { ["app"] = "db" }, null, "running", "db");
        var sandbox = _host.Engine.Add(_host.Clock.GetUtcNow().AddMinutes(5), Session(1));

        await Assert.ThrowsAsync<InvalidOperationException>(() => _host.Kills.Asked(_host.Context, stranger));
        Assert.True(await _host.Kills.Asked(_host.Context, sandbox));
        Assert.False(await _host.Kills.Asked(_host.Context, "no-such-container"));

        Assert.Equal([stranger], _host.Engine.Containers.Select(c => c.Id));
    }

    [Fact]
    public async Task A_kill_asked_for_forgets_the_container_and_its_extension()
    {
        var known = _host.Tracked(Session(1));
        _host.State.Extensions[known.Id] = _host.Clock.GetUtcNow().AddHours(1);

        Assert.True(await _host.Kills.Asked(_host.Context, known.Id));

        Assert.False(_host.Ledger.Knows(known.Id));
        Assert.Empty(_host.State.Extensions);
    }

    [Fact]
    public async Task Expired_forgets_what_it_killed_and_tries_a_failed_kill_again_later()
    {
        var now = _host.Clock.GetUtcNow();
        var dead = _host.Tracked(Session(1), deadline: now.AddSeconds(-1));
        var stuck = _host.Tracked(Session(2), deadline: now.AddSeconds(-1));
        _host.Engine.Unkillable[stuck.Id] = true;

        await _host.Kills.Expired(_host.Context, _host.Ledger.TakeDue(now));

        Assert.False(_host.Ledger.Knows(dead.Id));
        Assert.True(_host.Ledger.Knows(stuck.Id));
        Assert.Equal(now + TestHost.RetryAfter, _host.Ledger.NextKillDue());
    }

    [Fact]
    public async Task A_pool_container_that_cannot_be_discarded_is_left_to_the_reconcile()
    {
        var kept = _host.Tracked(Session(1));
        var gone = _host.Tracked(Session(2));
        _host.Engine.Unkillable[kept.Id] = true;

        await _host.Kills.Discard(_host.Context, kept.Id, "recycled");
        await _host.Kills.Discard(_host.Context, gone.Id, "recycled");

        Assert.True(_host.Ledger.Knows(kept.Id));
        Assert.False(_host.Ledger.Knows(gone.Id));
    }

    [Fact]
    public async Task Callers_racing_for_one_container_share_one_engine_kill()
    {
        var container = _host.Tracked(Session(1));
        _host.Engine.KillGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var first = SandboxKills.Once(_host.Context, container.Id);
        var second = SandboxKills.Once(_host.Context, container.Id);
        _host.Engine.KillGate.SetResult();
        await Task.WhenAll(first, second);

        Assert.Single(_host.Engine.Killed);
    }
}
