using AgentCluster.Grains.Fleet.Hosts;
using AgentCluster.Grains.Sessions;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet;

/// <summary><c>hosts remove</c>: a host that never answered, or is no longer wanted, leaves the fleet.</summary>
public sealed partial class DockerHostGrain
{
    public async Task<HostRemoval> Remove()
    {
        if (!state.State.Registered)
            return new HostRemoval(HostRemovalStatus.NotFound, 0);
        if (await LiveSessionsHere() is > 0 and var live)
            return new HostRemoval(HostRemovalStatus.Busy, live);

        var idle = state.State.Health == HostHealth.Healthy ? await GetWarmPool() : [];
        // A launch may have begun during the awaits: checked again, with nothing awaited before the host stops taking work.
        if (state.State.Health == HostHealth.Healthy && _ledger.Running > 0)
            return new HostRemoval(HostRemovalStatus.Busy, _ledger.Running);
        state.State.Registered = false;

        foreach (var timer in new[] { _tick, _deadlineTimer, _refillTimer })
            timer?.Dispose();
        (_tick, _deadlineTimer, _refillTimer) = (null, null, null);
        if (await this.GetReminder(ReminderName) is { } reminder)
            await this.UnregisterReminder(reminder);
        foreach (var sandbox in idle)
        {
            try
            {
                await Kill(sandbox.ContainerId);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Removing Docker host {Host}: could not kill its idle pool container {Container}", Name, sandbox.ContainerId);
            }
        }
        await state.ClearStateAsync();
        logger.LogInformation("Docker host {Host} removed from the fleet", Name);
        DeactivateOnIdle();
        return new HostRemoval(HostRemovalStatus.Removed, 0);
    }

    /// <summary>
    /// Sandboxes of sessions that are still live. A healthy engine's own list is the truth; an engine out
    /// of reach only leaves the sessions it last ran, which count until they are ended (Lost) elsewhere.
    /// </summary>
    private async Task<int> LiveSessionsHere()
    {
        if (state.State.Health == HostHealth.Healthy)
            return _ledger.Running;
        var sessions = await Task.WhenAll(HealthProbe.SessionsHere(Here).Select(id => GrainFactory.GetGrain<ISessionGrain>(id).Get()));
        return sessions.Count(s => s is { IsEnded: false, Status: not SessionStatus.Lost });
    }
}
