using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;
using static AgentCluster.Tests.Unit.Grains.Fleet.Hosts.HostTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

public sealed class ReconcilePlanTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    private static ReconcilePlan Judge(IReadOnlySet<string>? lost, params SandboxContainer[] listed) =>
        ReconcilePlan.Judge(listed, Now, Grace, lost, c => c.Id == "held");

    [Fact]
    public void Young_ones_are_kept_older_ones_asked_about_and_ended_ones_killed_with_the_reason()
    {
        var plan = Judge(null,
            Sandbox("young", Session(1), created: Now),
            Sandbox("old", Session(2)),
            Sandbox("expired", Session(3), deadline: Now),
            Sandbox("exited", Session(4), state: "exited"),
            Sandbox("unlabelled", session: null));

        Assert.Equal(["young"], plan.Keep.Select(c => c.Id));
        Assert.Equal(["old"], plan.Ask.Select(c => c.Id));
        Assert.Equal(
            [("expired", "its deadline passed"), ("exited", "its process has ended (exited)"), ("unlabelled", "its labels are unreadable")],
            plan.Doomed.Select(d => (d.Container.Id, d.Why)));
    }

    [Fact]
    public void Back_from_unhealthy_even_the_young_sandboxes_of_its_sessions_are_asked_about()
    {
        var plan = Judge(new HashSet<string> { Session(1) }, Sandbox("young", Session(1), created: Now), Sandbox("other", Session(2), created: Now));
        Assert.Equal(["young"], plan.Ask.Select(c => c.Id));
        Assert.Equal(["other"], plan.Keep.Select(c => c.Id));
    }

    [Fact]
    public void An_idle_pool_container_is_kept_only_if_the_pool_holds_it()
    {
        var plan = Judge(null, Pooled("held", "pool-1"), Pooled("stray", "pool-2"));
        Assert.Equal(["held"], plan.Keep.Select(c => c.Id));
        Assert.Equal([("stray", "it is an idle pool container its host does not hold")], plan.Doomed.Select(d => (d.Container.Id, d.Why)));
    }

    [Fact]
    public void What_a_session_claims_is_kept_and_what_none_claims_is_killed()
    {
        var plan = Judge(null);
        plan.Answered(Sandbox("claimed", Session(1)), claimed: true);
        plan.Answered(Sandbox("orphan", Session(2)), claimed: false);
        Assert.Equal(["claimed"], plan.Keep.Select(c => c.Id));
        Assert.Equal([("orphan", "no session claims it")], plan.Doomed.Select(d => (d.Container.Id, d.Why)));
    }

    [Fact]
    public void Sessions_are_told_about_ended_sandboxes_by_container_and_about_unlisted_ones_without()
    {
        var plan = Judge(null, Sandbox("exited", Session(1), state: "exited"), Sandbox("by-hand", "ses_by_hand", state: "exited"));

        var losses = plan.Losses("h1", [Session(2)]);

        Assert.Equal(2, losses.Count);
        Assert.Equal((Session(1), "h1", "exited", "its sandbox on h1 is gone: its process has ended (exited)"),
            (losses[0].Session, losses[0].Loss.Host, losses[0].Loss.ContainerId, losses[0].Loss.Reason));
        Assert.Equal((Session(2), "h1", null, "its sandbox on h1 is gone: the engine no longer lists it"),
            (losses[1].Session, losses[1].Loss.Host, losses[1].Loss.ContainerId, losses[1].Loss.Reason));
    }

    [Fact]
    public void A_doomed_container_whose_kill_failed_is_still_counted()
    {
        var plan = Judge(null, Sandbox("kept", Session(1), created: Now), Sandbox("killed", Session(2), deadline: Now), Sandbox("survived", Session(3), deadline: Now));
        Assert.Equal(["kept", "survived"], plan.Survivors(new HashSet<string> { "killed" }).Select(c => c.Id));
    }
}
