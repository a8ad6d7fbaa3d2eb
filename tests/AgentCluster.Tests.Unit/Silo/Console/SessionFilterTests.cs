using AgentCluster.Grains.Sessions;
using AgentCluster.Silo.Console;

namespace AgentCluster.Tests.Unit.Silo.Console;

public sealed class SessionFilterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    private static SessionInfo Session(string id, SessionStatus status, string host = "engine-1", string image = "agentcluster/desktop:local") =>
        new(id, "acme", status, image, host, "c1", "10.0.0.2", T0, T0.AddMinutes(10), null, [], [], TimeSpan.FromSeconds(60));

    [Fact]
    public void Live_keeps_sessions_that_still_run_and_drops_ended_and_lost_ones()
    {
        var live = new SessionFilter(null, "live", null, null).Matches();
        Assert.Equal(
            [true, true, true, true, false, false, false],
            new[] { SessionStatus.Pending, SessionStatus.Starting, SessionStatus.Ready, SessionStatus.Terminating,
                SessionStatus.Terminated, SessionStatus.Failed, SessionStatus.Lost }.Select(s => live(Session("ses_a", s))));
    }

    [Fact]
    public void A_state_is_matched_by_name_and_text_by_id_host_or_image_whatever_the_case()
    {
        var ready = Session("ses_Abc", SessionStatus.Ready, host: "engine-7", image: "myorg/agent:1");
        Assert.True(new SessionFilter(null, "ready", null, null).Matches()(ready));
        Assert.False(new SessionFilter(null, "Failed", null, null).Matches()(ready));
        Assert.True(new SessionFilter(null, "", "ENGINE-7", null).Matches()(ready));
        Assert.True(new SessionFilter(null, null, "abc", null).Matches()(ready));
        Assert.True(new SessionFilter(null, null, "myorg/", null).Matches()(ready));
        Assert.False(new SessionFilter(null, null, "engine-8", null).Matches()(ready));
    }
}
