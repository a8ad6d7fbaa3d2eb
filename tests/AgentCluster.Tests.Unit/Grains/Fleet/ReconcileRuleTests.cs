using AgentCluster.Grains.Fleet;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet;

public sealed class ReconcileRuleTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    private static SandboxContainer Container(DateTimeOffset? deadline, TimeSpan age, string? session = "ses_1", string? tenant = "acme", string state = "running")
    {
        var labels = new Dictionary<string, string>();
        if (session is not null) labels[SandboxLabels.Session] = session;
        if (tenant is not null) labels[SandboxLabels.Tenant] = tenant;
        if (deadline is not null) labels[SandboxLabels.Deadline] = deadline.Value.ToUnixTimeMilliseconds().ToString();
        return new SandboxContainer("c1", labels, state, Now - age);
    }

    [Theory]
    [InlineData("exited")]
    [InlineData("dead")]
    public void A_container_whose_process_ended_is_killed_however_young_and_whoever_claims_it(string state)
    {
        Assert.Equal(ReconcileVerdict.KillStopped, ReconcileRule.Judge(Container(Now.AddMinutes(5), TimeSpan.Zero, state: state), Now, Grace));
        Assert.Equal(ReconcileVerdict.KillStopped, ReconcileRule.Judge(Container(Now.AddMinutes(5), TimeSpan.FromHours(1), state: state), Now, Grace));
    }

    [Theory]
    [InlineData("created")]
    [InlineData("running")]
    [InlineData("paused")]
    [InlineData("restarting")]
    public void A_container_that_may_still_serve_is_judged_by_its_claim(string state) =>
        Assert.Equal(ReconcileVerdict.AskClaims, ReconcileRule.Judge(Container(Now.AddMinutes(5), TimeSpan.FromHours(1), state: state), Now, Grace));

    [Fact]
    public void An_ended_container_past_its_deadline_is_killed_as_expired() =>
        Assert.Equal(ReconcileVerdict.KillExpired, ReconcileRule.Judge(Container(Now.AddSeconds(-1), TimeSpan.FromHours(1), state: "exited"), Now, Grace));

    [Fact]
    public void A_container_past_its_deadline_is_killed_however_young() =>
        Assert.Equal(ReconcileVerdict.KillExpired, ReconcileRule.Judge(Container(Now.AddMilliseconds(-1), TimeSpan.Zero), Now, Grace));

    [Fact]
    public void The_deadline_itself_counts_as_passed() =>
        Assert.Equal(ReconcileVerdict.KillExpired, ReconcileRule.Judge(Container(Now, TimeSpan.FromHours(1)), Now, Grace));

    [Fact]
    public void A_young_container_is_kept_without_asking()
    {
        Assert.Equal(ReconcileVerdict.Keep, ReconcileRule.Judge(Container(Now.AddMinutes(5), TimeSpan.FromSeconds(29)), Now, Grace));
        Assert.Equal(ReconcileVerdict.AskClaims, ReconcileRule.Judge(Container(Now.AddMinutes(5), TimeSpan.FromSeconds(30)), Now, Grace));
    }

    [Theory]
    [InlineData(null, "acme", "1")]
    [InlineData("ses_1", null, "1")]
    [InlineData("ses_1", "acme", null)]
    [InlineData("ses_1", "acme", "soon")]
    [InlineData("", "acme", "1")]
    [InlineData("ses_1", "acme", "-5")]
    public void Unreadable_labels_mean_nobody_owns_it(string? session, string? tenant, string? deadline)
    {
        var labels = new Dictionary<string, string> { [SandboxLabels.Session] = "x" };
        labels.Remove(SandboxLabels.Session);
        if (session is not null) labels[SandboxLabels.Session] = session;
        if (tenant is not null) labels[SandboxLabels.Tenant] = tenant;
        if (deadline is not null) labels[SandboxLabels.Deadline] = deadline == "1" ? Now.AddHours(1).ToUnixTimeMilliseconds().ToString() : deadline;
        var container = new SandboxContainer("c1", labels, "running", Now);
        Assert.Equal(ReconcileVerdict.KillMalformed, ReconcileRule.Judge(container, Now, Grace));
    }
}
