namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// When a claim's refill starts (<see cref="WarmPoolOptions.AfterDesktopClaim"/>): a plain
/// sandbox's at once; a desktop's once its claim has drawn its first page. A desktop refill's
/// create, start and browser take a small host's CPU in the very moments the claimed browser needs
/// it for the session's first page. The quiet window opens as the claim takes its container, and no
/// refill makes a container inside it, not even one whose timer tick was already under way (the
/// host's grain is reentrant). Claims inside the window do not extend it, so a burst of claims
/// waits for one window at most. Plain state of the host's grain.
/// </summary>
public sealed class RefillPacing(TimeSpan afterDesktopClaim, TimeProvider clock)
{
    private DateTimeOffset _quietUntil = DateTimeOffset.MinValue;

    /// <summary>Inside a quiet window: a refill makes nothing now.</summary>
    public bool Quiet => clock.GetUtcNow() < _quietUntil;

    /// <summary>A claim takes a container from the pool: a desktop's opens a quiet window, unless one is open.</summary>
    public void Claiming(bool desktop)
    {
        if (desktop && afterDesktopClaim > TimeSpan.Zero && !Quiet)
            _quietUntil = clock.GetUtcNow() + afterDesktopClaim;
    }

    /// <summary>When the refill timer should next fire, once a claim's calls are over: at once, or as the quiet window ends.</summary>
    public TimeSpan NextRefill()
    {
        var left = _quietUntil - clock.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
