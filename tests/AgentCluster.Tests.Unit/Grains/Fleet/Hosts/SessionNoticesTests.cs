using AgentCluster.Grains.Fleet.Hosts;
using AgentCluster.Grains.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using static AgentCluster.Tests.Unit.Grains.Fleet.Hosts.HostTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

public sealed class SessionNoticesTests
{
    private readonly SessionNotices _notices = new(NullLogger.Instance);

    [Fact]
    public async Task Each_session_told_it_is_lost_leaves_the_untold_set_and_one_that_could_not_be_told_stays()
    {
        var untold = new HashSet<string> { Session(1), Session(2), Session(3) };

        await _notices.Lost("h1", untold, id => id == Session(2) ? throw new TimeoutException("silo gone") : Task.CompletedTask);

        Assert.Equal([Session(2)], untold);
    }

    [Fact]
    public async Task A_session_not_told_its_sandbox_is_gone_is_kept_until_it_is()
    {
        var host = new TestHost();
        var loss = new SessionLoss("its sandbox is gone");
        var fail = true;
        Task Lose(string id, SessionLoss l) => fail && id == Session(1) ? throw new TimeoutException("silo gone") : Task.CompletedTask;

        await _notices.Gone(host.Context, [(Session(1), loss), (Session(2), loss)], Lose);
        Assert.Equal([Session(1)], host.Health.UntoldGone);

        fail = false;
        await _notices.Gone(host.Context, [(Session(1), loss)], Lose);
        Assert.Empty(host.Health.UntoldGone);
    }

    [Fact]
    public async Task Sessions_are_told_so_many_at_a_time()
    {
        var (running, most) = (0, 0);
        var untold = Enumerable.Range(0, 3 * SessionNotices.AtOnce + 1).Select(Session).ToHashSet();

        await _notices.Lost("h1", untold, async _ =>
        {
            most = Math.Max(most, Interlocked.Increment(ref running));
            await Task.Yield();
            Interlocked.Decrement(ref running);
        });

        Assert.Empty(untold);
        Assert.InRange(most, 1, SessionNotices.AtOnce);
    }
}
