using AgentCluster.Grains.Fleet.Hosts;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet;

public sealed partial class DockerHostGrain
{
    /// <summary>The one-shot timer at the earliest deadline this host knows of and is not already killing.</summary>
    private void ScheduleDeadlineKill()
    {
        var due = _ledger.NextKillDue() is { } at ? at - clock.GetUtcNow() : Timeout.InfiniteTimeSpan;
        _deadlineTimer?.Change(due < TimeSpan.Zero && due != Timeout.InfiniteTimeSpan ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
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
        if (_ledger.TakeDue(clock.GetUtcNow()) is { Count: > 0 } due)
            _ = KillExpiring(Engine, due);
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
            _ledger.KillEnded(container.Id, killed.Contains(container.Id), retry);
            if (killed.Contains(container.Id))
                Forget(container.Id);
        }
        ScheduleDeadlineKill();
    }

    private async Task<(HashSet<string> Killed, List<string> Failures)> KillAll(
        IDockerEngine engine, List<(SandboxContainer Container, string Why)> doomed)
    {
        var killed = new HashSet<string>(StringComparer.Ordinal);
        var failures = new List<string>();
        await Window.Run(doomed, KillsAtOnce, async d =>
        {
            try
            {
                await KillOnce(engine, d.Container.Id);
                killed.Add(d.Container.Id);
                // An idle pool container has no session yet: its pool id stands in.
                logger.LogWarning("Killed {Container} (session {Session}, tenant {Tenant}) on {Host}: {Why}",
                    d.Container.Id, d.Container.SessionId ?? d.Container.LabelledSession, d.Container.Tenant, Name, d.Why);
            }
            catch (Exception e)
            {
                failures.Add($"{d.Container.Id}: {e.Message}");
                logger.LogError(e, "Could not kill {Container} on {Host} ({Why})", d.Container.Id, Name, d.Why);
            }
        });
        return (killed, failures);
    }
}
