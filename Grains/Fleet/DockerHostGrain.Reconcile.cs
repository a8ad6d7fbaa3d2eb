using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet;

public sealed partial class DockerHostGrain
{
    private const int KillsAtOnce = 8;

    private readonly Dictionary<string, Task<bool>> _killing = new(StringComparer.Ordinal);

    /// <summary>Past their deadline, their kill queued or under way: the deadline timer skips them.</summary>
    private readonly HashSet<string> _expiring = new(StringComparer.Ordinal);

    /// <summary>Those whose kill at the deadline failed, and when the timer tries again.</summary>
    private readonly Dictionary<string, DateTimeOffset> _retryKillAt = new(StringComparer.Ordinal);

    /// <summary>
    /// Lists every labelled container and kills those past their deadline, with unreadable labels,
    /// or claimed by no session. Throws when a kill fails: a host that cannot kill is not healthy.
    /// </summary>
    private async Task<ReconcileReport> ReconcileWith(IDockerEngine engine)
    {
        var listedAt = _epoch;
        var before = SessionsHere();
        // Back from Unhealthy: its sessions were told they are Lost, so even their young sandboxes are asked about.
        var lost = state.State.Health == HostHealth.Unhealthy ? before : null;
        // Claimed pool containers are judged by their session's deadline, not the pool's label.
        var listed = (await engine.ListSandboxesAsync()).Select(Effective).ToList();
        var now = clock.GetUtcNow();
        var keep = new List<SandboxContainer>();
        var doomed = new List<(SandboxContainer Container, string Why)>();
        var ask = new List<SandboxContainer>();
        foreach (var container in listed)
        {
            switch (ReconcileRule.Judge(container, now, _options.ClaimGrace))
            {
                case ReconcileVerdict.Keep when container.SessionId is { } id && lost?.Contains(id) == true: ask.Add(container); break;
                case ReconcileVerdict.Keep: keep.Add(container); break;
                case ReconcileVerdict.AskClaims: ask.Add(container); break;
                case ReconcileVerdict.AskPool when HoldsIdle(container, listedAt): keep.Add(container); break;
                case ReconcileVerdict.AskPool: doomed.Add((container, "it is an idle pool container its host does not hold")); break;
                case ReconcileVerdict.KillExpired: doomed.Add((container, "its deadline passed")); break;
                case ReconcileVerdict.KillStopped: doomed.Add((container, $"its process has ended ({container.State})")); break;
                default: doomed.Add((container, "its labels are unreadable")); break;
            }
        }

        foreach (var (container, live) in await Task.WhenAll(ask.Select(async c => (c, await IsClaimed(c)))))
        {
            if (live)
                keep.Add(container);
            else
                doomed.Add((container, "no session claims it"));
        }

        var (killed, failures) = await KillAll(engine, doomed);
        await TellGone(listed, listedAt, before, doomed);
        keep.AddRange(doomed.Where(d => !killed.Contains(d.Container.Id)).Select(d => d.Container));
        Rebuild(listedAt, keep);
        PrunePool(listedAt);
        foreach (var id in _retryKillAt.Keys.Where(id => !_known.ContainsKey(id)).ToList())
            _retryKillAt.Remove(id);
        _listed = true;
        ScheduleDeadlineKill();
        if (failures.Count > 0)
            throw new InvalidOperationException($"could not kill {failures.Count} sandbox(es): {failures[0]}");
        return new ReconcileReport(listed.Count, [.. killed], null);
    }

    /// <summary>The one-shot timer at the earliest deadline this host knows of and is not already killing.</summary>
    private void ScheduleDeadlineKill()
    {
        var next = _known.Values.Select(t => KillDue(t.Container)).Where(d => d is not null).Min();
        var due = next is { } at ? at - clock.GetUtcNow() : Timeout.InfiniteTimeSpan;
        _deadlineTimer?.Change(due < TimeSpan.Zero && due != Timeout.InfiniteTimeSpan ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>When the timer should kill it: its deadline, or later if a kill at the deadline failed; null while a kill is queued.</summary>
    private DateTimeOffset? KillDue(SandboxContainer container)
    {
        if (_expiring.Contains(container.Id) || container.Deadline is not { } deadline)
            return null;
        // Retrying at the same past deadline would spin.
        return _retryKillAt.TryGetValue(container.Id, out var retry) && retry > deadline ? retry : deadline;
    }

    /// <summary>
    /// Kills the known sandboxes whose deadline has come, without waiting for the next list. It
    /// re-arms for the next deadline at once rather than after these kills: a kill takes 100 ms or
    /// more on a busy engine, and the deadlines after it must not queue up behind it.
    /// </summary>
    private Task KillExpired()
    {
        // An engine that is down cannot kill: the reconcile that brings it back kills what expired meanwhile.
        if (state.State.Health == HostHealth.Unhealthy || !state.State.Registered)
            return Task.CompletedTask;
        var now = clock.GetUtcNow();
        var due = _known.Values.Select(t => t.Container).Where(c => KillDue(c) <= now).ToList();
        if (due.Count > 0)
        {
            _expiring.UnionWith(due.Select(c => c.Id));
            _ = KillExpiring(Engine, due);
        }
        ScheduleDeadlineKill();
        return Task.CompletedTask;
    }

    /// <summary>Runs in the activation, interleaved like every other turn of this reentrant grain.</summary>
    private async Task KillExpiring(IDockerEngine engine, List<SandboxContainer> due)
    {
        var (killed, _) = await KillAll(engine, [.. due.Select(c => (c, "its deadline passed"))]);
        var retry = clock.GetUtcNow() + _options.ReconcileInterval;
        foreach (var container in due)
        {
            _expiring.Remove(container.Id);
            if (killed.Contains(container.Id))
                Forget(container.Id);
            else
                _retryKillAt[container.Id] = retry;
        }
        ScheduleDeadlineKill();
    }

    private async Task<(HashSet<string> Killed, List<string> Failures)> KillAll(
        IDockerEngine engine, List<(SandboxContainer Container, string Why)> doomed)
    {
        var killed = new HashSet<string>(StringComparer.Ordinal);
        var failures = new List<string>();
        // A window, not batches: one slow kill must not hold up the seven after it.
        var running = new List<Task>();
        foreach (var d in doomed)
        {
            if (running.Count == KillsAtOnce)
                running.Remove(await Task.WhenAny(running));
            running.Add(KillOne(d.Container, d.Why));
        }
        await Task.WhenAll(running);
        return (killed, failures);

        async Task KillOne(SandboxContainer container, string why)
        {
            try
            {
                await KillOnce(engine, container.Id);
                killed.Add(container.Id);
                // An idle pool container has no session yet: its pool id stands in.
                logger.LogWarning("Killed {Container} (session {Session}, tenant {Tenant}) on {Host}: {Why}",
                    container.Id, container.SessionId ?? container.LabelledSession, container.Tenant, Name, why);
            }
            catch (Exception e)
            {
                failures.Add($"{container.Id}: {e.Message}");
                logger.LogError(e, "Could not kill {Container} on {Host} ({Why})", container.Id, Name, why);
            }
        }
    }

    /// <summary>
    /// One engine kill per container at a time: the deadline timer, the session's own kill and a
    /// reconcile often go for the same one at once, and the later callers share the first's call.
    /// </summary>
    private Task<bool> KillOnce(IDockerEngine engine, string containerId)
    {
        if (_killing.TryGetValue(containerId, out var underWay))
            return underWay;
        var task = Run();
        if (!task.IsCompleted)
            _killing[containerId] = task;
        return task;

        async Task<bool> Run()
        {
            try
            {
                return await engine.KillAsync(containerId);
            }
            finally
            {
                _killing.Remove(containerId);
            }
        }
    }

    private async Task<bool> IsClaimed(SandboxContainer container)
    {
        try
        {
            return await claims.IsLive(container.SessionId!, container.Id);
        }
        catch (Exception e)
        {
            // Unsure is not unclaimed: its deadline still bounds it.
            logger.LogWarning(e, "Could not ask whether session {Session} claims {Container}", container.SessionId, container.Id);
            return true;
        }
    }

    /// <summary>The list is the truth, except for what changed while it was being taken.</summary>
    private void Rebuild(long listedAt, List<SandboxContainer> survivors)
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
    }
}
