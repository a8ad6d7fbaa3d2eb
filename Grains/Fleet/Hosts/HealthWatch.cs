namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// A host's health as its checks find it: failures in a row, the last check and its error, the
/// endpoint's generation, and the sessions still to be told what the checks found. The grain
/// persists the verdict (Healthy, Unhealthy); this says when it changes. State of a reentrant
/// grain, touched only between its awaits.
/// </summary>
public sealed class HealthWatch(FleetOptions options, TimeProvider clock)
{
    /// <summary>While Unhealthy: the sessions not yet told that they are Lost. Null until the first failed check tells them.</summary>
    private HashSet<string>? _untold;

    /// <summary>Sessions that were not told their sandbox is gone: they stay this host's until they are.</summary>
    private readonly HashSet<string> _untoldGone = new(StringComparer.Ordinal);

    /// <summary>Which endpoint the host is on: a check that began on an earlier one has nothing to say about this one.</summary>
    public int Generation { get; private set; }

    public int Failures { get; private set; }

    public DateTimeOffset? LastCheckAt { get; private set; }

    public string? LastError { get; private set; }

    public IEnumerable<string> UntoldGone => _untoldGone;

    /// <summary>When the canary last came to a verdict; null since the activation or the last move.</summary>
    public DateTimeOffset? LastCanaryAt { get; private set; }

    /// <summary>
    /// Whether this check runs the canary: one has not come to a verdict since the activation or
    /// the last move, or the last is older than its interval, or the host is not (yet, or no
    /// longer) known to be reachable and checked.
    /// </summary>
    public bool CanaryDue(HostHealth health) =>
        health is not (HostHealth.Healthy or HostHealth.Unsafe)
        || LastCanaryAt is not { } last || clock.GetUtcNow() - last >= options.Canary.Interval;

    public void CanaryRan() => LastCanaryAt = clock.GetUtcNow();

    /// <summary>The timer's and the reminder's check is skipped right after one that a launch or a caller ran.</summary>
    public bool CheckedJustNow => LastCheckAt is { } last && clock.GetUtcNow() - last < options.ReconcileInterval / 2;

    /// <summary>A new endpoint is a new host: nothing known about the old one carries over.</summary>
    public void Moved()
    {
        Generation++;
        Failures = 0;
        _untold = null;
        LastCanaryAt = null;
    }

    /// <summary>Counts a failed check; true when it turns a host that is not Unhealthy yet Unhealthy.</summary>
    public bool Failed(string error, HostHealth health)
    {
        Failures++;
        LastError = error;
        LastCheckAt = clock.GetUtcNow();
        return Failures >= options.UnhealthyAfter && health != HostHealth.Unhealthy;
    }

    public void Succeeded()
    {
        Failures = 0;
        LastError = null;
        LastCheckAt = clock.GetUtcNow();
        // Whoever was not told by now keeps a claim the reconcile has just honoured.
        _untold = null;
    }

    /// <summary>
    /// The sessions still to be told they are Lost: at the first failed check, those here then.
    /// The set itself, so that a session told is taken out of it.
    /// </summary>
    public HashSet<string> UntoldLost(Func<HashSet<string>> sessionsHere) => _untold ??= sessionsHere();

    /// <summary>Whether the session heard that its sandbox is gone; one that did not is told again at the next reconcile.</summary>
    public void ToldGone(string sessionId, bool told)
    {
        if (told)
            _untoldGone.Remove(sessionId);
        else
            _untoldGone.Add(sessionId);
    }
}
