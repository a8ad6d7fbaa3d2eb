using AgentCluster.Grains.Sessions;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// A host's check: its engine answers a ping; a host that was not Healthy (down, or new) gets its
/// network checked anew; then the full reconcile, so that its leftovers are gone before it takes
/// work. Whatever throws fails the check. The verdict goes into the host's state, which the grain
/// persists when told it changed; a check that began on an endpoint the host has left since says
/// nothing.
/// </summary>
public sealed class HealthProbe(Reconciliation reconciliation, ILogger logger)
{
    /// <param name="lose">Tells a session its sandbox is gone.</param>
    public async Task<Checked> Run(HostContext h, Func<string, SessionLoss, Task> lose)
    {
        var s = h.State;
        var generation = h.Health.Generation;
        ReconcileReport report;
        try
        {
            await h.Engine.PingAsync();
            if (s.Health != HostHealth.Healthy)
                await h.Engine.EnsureNetworkAsync();
            report = await reconciliation.Run(h, SessionsHere(h), s.Health == HostHealth.Unhealthy, lose);
        }
        catch (Exception e)
        {
            var failed = generation == h.Health.Generation;
            return new Checked(new ReconcileReport(0, [], e.Message), failed && Failed(h, e), failed);
        }
        return new Checked(report, generation == h.Health.Generation && Succeeded(h), Failed: false);
    }

    /// <summary>The sessions of this host: those the last good check persisted and those tracked since.</summary>
    public static HashSet<string> SessionsHere(HostContext h) => [.. h.State.Sessions, .. SessionsSeen(h)];

    private static HashSet<string> SessionsSeen(HostContext h) => [.. h.Ledger.Sessions, .. h.Health.UntoldGone];

    private bool Failed(HostContext h, Exception e)
    {
        var s = h.State;
        var unhealthy = h.Health.Failed(e.Message, s.Health);
        logger.LogDebug(e, "Check of Docker host {Host} failed ({Failures} in a row)", h.Host, h.Health.Failures);
        if (!unhealthy)
            return false;
        s.Health = HostHealth.Unhealthy;
        logger.LogWarning("Docker host {Host} is Unhealthy after {Failures} failed checks: {Error}", h.Host, h.Health.Failures, e.Message);
        return true;
    }

    private bool Succeeded(HostContext h)
    {
        var s = h.State;
        h.Health.Succeeded();
        var was = s.Health;
        var sessions = SessionsSeen(h);
        if (was == HostHealth.Healthy && sessions.SetEquals(s.Sessions))
            return false;
        s.Health = HostHealth.Healthy;
        s.Sessions = sessions;
        if (was != HostHealth.Healthy)
            logger.LogInformation("Docker host {Host} is Healthy (was {Was}), reconciled with {Running} sandboxes", h.Host, was, h.Ledger.Running);
        return true;
    }

    /// <summary>What a check found, whether it changed the host's state (to persist), and whether it failed.</summary>
    public sealed record Checked(ReconcileReport Report, bool Changed, bool Failed);
}
