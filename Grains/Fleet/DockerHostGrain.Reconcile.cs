using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet;

public sealed partial class DockerHostGrain
{
    private const int KillsAtOnce = 8;

    /// <summary>
    /// Lists every labelled container and kills those past their deadline, with unreadable labels,
    /// or claimed by no session. Throws when a kill fails: a host that cannot kill is not healthy.
    /// </summary>
    private async Task<ReconcileReport> ReconcileWith(IDockerEngine engine)
    {
        var listedAt = _epoch;
        var listed = await engine.ListSandboxesAsync();
        var now = clock.GetUtcNow();
        var keep = new List<SandboxContainer>();
        var doomed = new List<(SandboxContainer Container, string Why)>();
        var ask = new List<SandboxContainer>();
        foreach (var container in listed)
        {
            switch (ReconcileRule.Judge(container, now, _options.ClaimGrace))
            {
                case ReconcileVerdict.Keep: keep.Add(container); break;
                case ReconcileVerdict.AskClaims: ask.Add(container); break;
                case ReconcileVerdict.KillExpired: doomed.Add((container, "its deadline passed")); break;
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
        keep.AddRange(doomed.Where(d => !killed.Contains(d.Container.Id)).Select(d => d.Container));
        Rebuild(listedAt, keep);
        _listed = true;
        ScheduleDeadlineKill();
        if (failures.Count > 0)
            throw new InvalidOperationException($"could not kill {failures.Count} sandbox(es): {failures[0]}");
        return new ReconcileReport(listed.Count, [.. killed], null);
    }

    /// <summary>The one-shot timer at the earliest deadline this host knows of.</summary>
    private void ScheduleDeadlineKill()
    {
        var next = _known.Values.Select(t => t.Container.Deadline).Where(d => d is not null).Min();
        var due = next is { } at ? at - clock.GetUtcNow() : Timeout.InfiniteTimeSpan;
        _deadlineTimer?.Change(due < TimeSpan.Zero && due != Timeout.InfiniteTimeSpan ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Kills the known sandboxes whose deadline has come, without waiting for the next list.</summary>
    private async Task KillExpired()
    {
        var now = clock.GetUtcNow();
        var due = _known.Values.Select(t => t.Container).Where(c => c.Deadline <= now)
            .Select(c => (c, "its deadline passed")).ToList();
        if (due.Count > 0 && state.State.Registered)
        {
            var (killed, _) = await KillAll(Engine, due);
            foreach (var id in killed)
                Forget(id);
        }
        ScheduleDeadlineKill();
    }

    private async Task<(HashSet<string> Killed, List<string> Failures)> KillAll(
        IDockerEngine engine, List<(SandboxContainer Container, string Why)> doomed)
    {
        var killed = new HashSet<string>(StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var batch in doomed.Chunk(KillsAtOnce))
        {
            await Task.WhenAll(batch.Select(async d =>
            {
                try
                {
                    await engine.KillAsync(d.Container.Id);
                    killed.Add(d.Container.Id);
                    logger.LogWarning("Killed {Container} (session {Session}, tenant {Tenant}) on {Host}: {Why}",
                        d.Container.Id, d.Container.SessionId, d.Container.Tenant, Name, d.Why);
                }
                catch (Exception e)
                {
                    failures.Add($"{d.Container.Id}: {e.Message}");
                    logger.LogError(e, "Could not kill {Container} on {Host} ({Why})", d.Container.Id, Name, d.Why);
                }
            }));
        }
        return (killed, failures);
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
