using AgentCluster.Silo.Console;
using AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

namespace AgentCluster.Tests.Unit.Silo.Console;

public sealed class ScreenViewThrottleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_viewer_is_recorded_once_per_window_whatever_the_frames()
    {
        var clock = new HandClock(T0);
        var throttle = new ScreenViewThrottle(clock);

        Assert.True(throttle.Claim("key_a", "ses_1", "live"));
        for (var frame = 0; frame < 100; frame++)
        {
            clock.Now += TimeSpan.FromMilliseconds(500);
            if (clock.Now - T0 < ScreenViewThrottle.Window)
                Assert.False(throttle.Claim("key_a", "ses_1", "live"));
        }
        clock.Now = T0 + ScreenViewThrottle.Window;
        Assert.True(throttle.Claim("key_a", "ses_1", "live"));
        Assert.False(throttle.Claim("key_a", "ses_1", "live"));
    }

    [Fact]
    public void Another_viewer_session_or_view_is_recorded_on_its_own()
    {
        var throttle = new ScreenViewThrottle(new HandClock(T0));

        Assert.True(throttle.Claim("key_a", "ses_1", "live"));
        Assert.True(throttle.Claim("key_b", "ses_1", "live"));
        Assert.True(throttle.Claim("key_a", "ses_2", "live"));
        Assert.True(throttle.Claim("key_a", "ses_1", "thumbnail"));
        Assert.False(throttle.Claim("key_b", "ses_1", "live"));
    }

    [Fact]
    public void A_viewing_whose_row_was_not_written_is_tried_again_on_the_next_frame()
    {
        var throttle = new ScreenViewThrottle(new HandClock(T0));

        Assert.True(throttle.Claim("key_a", "ses_1", "live"));
        throttle.Release("key_a", "ses_1", "live");
        Assert.True(throttle.Claim("key_a", "ses_1", "live"));
        Assert.False(throttle.Claim("key_a", "ses_1", "live"));
    }

    [Fact]
    public void Many_viewings_are_forgotten_once_their_window_has_passed()
    {
        var clock = new HandClock(T0);
        var throttle = new ScreenViewThrottle(clock);
        for (var i = 0; i < 10_001; i++)
            Assert.True(throttle.Claim($"key_{i}", "ses_1", "live"));

        clock.Now += ScreenViewThrottle.Window;
        Assert.True(throttle.Claim("key_new", "ses_1", "live"));
        Assert.Equal(1, throttle.Remembered);
    }
}
