using Orleans.Runtime;

namespace AgentCluster.Silo.Hosting;

/// <summary>
/// The clock of Orleans' silo watchdog, counting from its first reading. The watchdog (10.x) starts
/// its platform thread before it records the component check's first timestamp, so that thread's
/// first look can read 0 and report "Participant check thread has not completed for …" with the
/// machine's uptime as the stall (hours, at every start): no thread was stuck. Counted from the
/// watchdog's own start, a 0 read that early is a few microseconds, while every interval it measures
/// afterwards is the same as on the membership clock it wraps.
/// </summary>
internal sealed class WatchdogClock(TimeProvider inner) : TimeProvider
{
    private const long Unset = long.MinValue;
    private long _origin = Unset;

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp()
    {
        var now = inner.GetTimestamp();
        var origin = Interlocked.CompareExchange(ref _origin, now, Unset);
        return now - (origin == Unset ? now : origin);
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);

    /// <summary>
    /// Builds the watchdog with this clock. The type is internal to Orleans, hence found by name; if a
    /// later Orleans renames it, nothing changes here and the start-up log test shows whether the race is back.
    /// </summary>
    public static void UseForWatchdog(IServiceCollection services)
    {
        if (typeof(Orleans.Runtime.Silo).Assembly.GetType("Orleans.Runtime.Watchdog") is not { } watchdog)
            return;
        services.AddSingleton(watchdog, sp => ActivatorUtilities.CreateInstance(sp, watchdog,
            new WatchdogClock(sp.GetRequiredKeyedService<TimeProvider>(TimeProviderNames.Membership))));
    }
}
