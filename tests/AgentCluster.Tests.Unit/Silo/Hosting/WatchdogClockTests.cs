using AgentCluster.Silo.Hosting;

namespace AgentCluster.Tests.Unit.Silo.Hosting;

/// <summary>
/// The watchdog's clock counts from its first reading, so the watchdog's unset timestamp (0) read at
/// its start is "just now" rather than the machine's uptime, and every interval stays what it was.
/// </summary>
public sealed class WatchdogClockTests
{
    [Fact]
    public void An_unset_timestamp_read_right_after_the_first_reading_is_no_stall()
    {
        var inner = new SteppedClock(start: TimeSpan.FromHours(3));
        var clock = new WatchdogClock(inner);

        clock.GetTimestamp();
        inner.Advance(TimeSpan.FromMilliseconds(2));

        // What the platform thread computes when the component check's timestamp is still 0.
        Assert.Equal(TimeSpan.FromMilliseconds(2), clock.GetElapsedTime(0));
        // The membership clock it wraps would have called that three hours.
        Assert.True(inner.GetElapsedTime(0) > TimeSpan.FromHours(3));
    }

    [Fact]
    public void Intervals_are_those_of_the_clock_it_wraps()
    {
        var inner = new SteppedClock(start: TimeSpan.FromDays(2));
        var clock = new WatchdogClock(inner);
        clock.GetTimestamp();

        inner.Advance(TimeSpan.FromSeconds(7));
        var before = clock.GetTimestamp();
        inner.Advance(TimeSpan.FromSeconds(25));

        Assert.Equal(TimeSpan.FromSeconds(25), clock.GetElapsedTime(before));
        Assert.Equal(inner.TimestampFrequency, clock.TimestampFrequency);
        Assert.Equal(inner.GetUtcNow(), clock.GetUtcNow());
    }

    /// <summary>A clock that moves only when told, its timestamps in ticks since a given uptime.</summary>
    private sealed class SteppedClock(TimeSpan start) : TimeProvider
    {
        private long _ticks = start.Ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddTicks(_ticks);

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
