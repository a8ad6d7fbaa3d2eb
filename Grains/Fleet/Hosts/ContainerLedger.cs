using AgentCluster.Grains.Sessions;

namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// What a host knows of the sandboxes on its engine between two lists: the containers it counts,
/// the launches under way, the ids forgotten since a list began, and the kills queued, under way or
/// to be tried again. Every change takes the next epoch, so that a reconcile can tell what changed
/// while its list was being taken. State of a reentrant grain, touched only between its awaits.
/// </summary>
public sealed class ContainerLedger
{
    /// <summary>The sandboxes this host counts, by container id; rebuilt by every reconcile.</summary>
    private readonly Dictionary<string, Tracked> _known = new(StringComparer.Ordinal);

    /// <summary>Ids forgotten since a reconcile's list began, which that list must not bring back.</summary>
    private readonly Dictionary<string, long> _gone = new(StringComparer.Ordinal);

    /// <summary>Sessions whose launch is under way here, each holding a slot until it returns.</summary>
    private readonly HashSet<string> _launching = new(StringComparer.Ordinal);

    private readonly SharedCalls<bool> _killing = new();

    /// <summary>Past their deadline, their kill queued or under way: the deadline timer skips them.</summary>
    private readonly HashSet<string> _expiring = new(StringComparer.Ordinal);

    /// <summary>Those whose kill at the deadline failed, and when the timer tries again.</summary>
    private readonly Dictionary<string, DateTimeOffset> _retryKillAt = new(StringComparer.Ordinal);

    /// <summary>The latest change's epoch: a reconcile notes it as its list begins.</summary>
    public long Epoch { get; private set; }

    /// <summary>Whether this activation has counted the engine's containers since it started or moved.</summary>
    public bool Listed { get; private set; }

    /// <summary>
    /// Sessions' sandboxes, here or on their way; idle pool containers are not sessions. A container
    /// a reconcile lists while its launch is still under way is that launch's slot, not another.
    /// </summary>
    public int Running =>
        _known.Values.Count(t => !t.Container.IsIdlePool && !(t.Container.SessionId is { } id && _launching.Contains(id))) + _launching.Count;

    /// <summary>Only real session ids: a container labelled by hand or by a test names no session to tell.</summary>
    public IEnumerable<string> Sessions => _known.Values.Select(t => t.Container.SessionId).OfType<string>().Where(SessionIds.IsValid);

    public bool Knows(string containerId) => _known.ContainsKey(containerId);

    /// <summary>False when that session's launch is already under way here.</summary>
    public bool BeginLaunch(string sessionId) => _launching.Add(sessionId);

    public void EndLaunch(string sessionId) => _launching.Remove(sessionId);

    /// <summary>The next epoch, for a change kept outside the ledger (a pool container's claim).</summary>
    public long NextEpoch() => ++Epoch;

    /// <summary>Counts the container from now on; returns the epoch it was tracked at.</summary>
    public long Track(SandboxContainer container)
    {
        _known[container.Id] = new Tracked(container, ++Epoch);
        return Epoch;
    }

    public void Forget(string containerId)
    {
        _known.Remove(containerId);
        _retryKillAt.Remove(containerId);
        _gone[containerId] = ++Epoch;
    }

    /// <summary>A new endpoint is a new host: nothing known about the old one carries over.</summary>
    public void Moved()
    {
        _known.Clear();
        Listed = false;
    }

    /// <summary>Replaces a known container by its extended view, and drops a retry time the old deadline set; false when it is not known.</summary>
    public bool Extend(string containerId, Func<SandboxContainer, SandboxContainer> extended)
    {
        if (!_known.TryGetValue(containerId, out var tracked))
            return false;
        _known[containerId] = tracked with { Container = extended(tracked.Container) };
        _retryKillAt.Remove(containerId);
        return true;
    }

    /// <summary>
    /// One engine kill per container at a time: the deadline timer, the session's own kill and a
    /// reconcile often go for the same one at once, and the later callers share the first's call.
    /// </summary>
    public Task<bool> Kill(string containerId, Func<string, Task<bool>> kill) => _killing.Run(containerId, () => kill(containerId));

    /// <summary>The earliest time the deadline timer should kill something this host knows of; null: none.</summary>
    public DateTimeOffset? NextKillDue() => _known.Values.Select(t => KillDue(t.Container)).Where(d => d is not null).Min();

    /// <summary>When the one-shot deadline timer should fire, from <paramref name="now"/>: at once when overdue, never when nothing is due.</summary>
    public TimeSpan KillDueIn(DateTimeOffset now) =>
        NextKillDue() is { } at ? (at <= now ? TimeSpan.Zero : at - now) : Timeout.InfiniteTimeSpan;

    /// <summary>Those whose kill is due by now, marked expiring: the timer skips them until their kill ends.</summary>
    public List<SandboxContainer> TakeDue(DateTimeOffset now)
    {
        var due = _known.Values.Select(t => t.Container).Where(c => KillDue(c) <= now).ToList();
        _expiring.UnionWith(due.Select(c => c.Id));
        return due;
    }

    /// <summary>A kill at the deadline ended; one that failed is tried again at <paramref name="retryAt"/>.</summary>
    public void KillEnded(string containerId, bool killed, DateTimeOffset retryAt)
    {
        _expiring.Remove(containerId);
        if (!killed)
            _retryKillAt[containerId] = retryAt;
    }

    /// <summary>The list is the truth, except for what changed while it was being taken.</summary>
    public void Rebuild(long listedAt, IEnumerable<SandboxContainer> survivors)
    {
        var launchedSince = _known.Values.Where(t => t.Epoch > listedAt).ToList();
        _known.Clear();
        foreach (var container in survivors)
        {
            if (!(_gone.TryGetValue(container.Id, out var goneAt) && goneAt > listedAt))
                _known[container.Id] = new Tracked(container, listedAt);
        }
        foreach (var tracked in launchedSince)
            _known.TryAdd(tracked.Container.Id, tracked);
        foreach (var id in _gone.Where(g => g.Value <= listedAt).Select(g => g.Key).ToList())
            _gone.Remove(id);
        foreach (var id in _retryKillAt.Keys.Where(id => !_known.ContainsKey(id)).ToList())
            _retryKillAt.Remove(id);
        Listed = true;
    }

    /// <summary>
    /// Of the sessions here before a list began, those it does not show. A session launched since
    /// the list began, or launching now, is not judged by it.
    /// </summary>
    public List<string> Unlisted(IEnumerable<string> before, IEnumerable<SandboxContainer> listed, long listedAt)
    {
        var shown = listed.Select(c => c.SessionId).OfType<string>();
        var launchedSince = _known.Values.Where(t => t.Epoch > listedAt).Select(t => t.Container.SessionId).OfType<string>();
        return [.. before.Except(shown).Except(launchedSince).Except(_launching)];
    }

    /// <summary>When the timer should kill it: its deadline, or later if a kill at the deadline failed; null while a kill is queued.</summary>
    private DateTimeOffset? KillDue(SandboxContainer container)
    {
        if (_expiring.Contains(container.Id) || container.Deadline is not { } deadline)
            return null;
        // Retrying at the same past deadline would spin.
        return _retryKillAt.TryGetValue(container.Id, out var retry) && retry > deadline ? retry : deadline;
    }

    private sealed record Tracked(SandboxContainer Container, long Epoch);
}
