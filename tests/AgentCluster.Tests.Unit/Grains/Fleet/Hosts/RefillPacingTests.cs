using AgentCluster.Grains.Fleet.Hosts;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

public sealed class RefillPacingTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(2);

    private readonly HandClock _clock = new(Now);

    [Fact]
    public void A_plain_sandboxs_claim_refills_at_once_and_a_desktops_as_the_quiet_window_from_its_take_ends()
    {
        var pacing = new RefillPacing(Quiet, _clock);
        pacing.Claiming(desktop: false);
        Assert.False(pacing.Quiet);
        Assert.Equal(TimeSpan.Zero, pacing.NextRefill());

        pacing.Claiming(desktop: true);
        Assert.True(pacing.Quiet);
        // The claim's calls took 0.3 s: the refill is due when the window from the take ends.
        _clock.Now += TimeSpan.FromSeconds(0.3);
        Assert.Equal(TimeSpan.FromSeconds(1.7), pacing.NextRefill());
    }

    [Fact]
    public void Claims_inside_the_window_neither_extend_it_nor_pull_it_forward_and_after_it_a_claim_opens_a_new_one()
    {
        var pacing = new RefillPacing(Quiet, _clock);
        pacing.Claiming(desktop: true);

        _clock.Now += TimeSpan.FromSeconds(1.5);
        pacing.Claiming(desktop: true);
        pacing.Claiming(desktop: false);
        Assert.True(pacing.Quiet);
        Assert.Equal(TimeSpan.FromSeconds(0.5), pacing.NextRefill());

        _clock.Now += TimeSpan.FromSeconds(0.5);
        Assert.False(pacing.Quiet);
        Assert.Equal(TimeSpan.Zero, pacing.NextRefill());
        pacing.Claiming(desktop: true);
        Assert.Equal(Quiet, pacing.NextRefill());
    }

    [Fact]
    public void No_window_when_it_is_configured_as_zero()
    {
        var pacing = new RefillPacing(TimeSpan.Zero, _clock);

        pacing.Claiming(desktop: true);

        Assert.False(pacing.Quiet);
        Assert.Equal(TimeSpan.Zero, pacing.NextRefill());
    }
}
