using AgentCluster.Grains.Sessions;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// A host's check: its engine answers a ping; a host that was not Healthy (down, new or Unsafe)
/// gets its network checked anew; the canary runs when due (<see cref="HealthWatch.CanaryDue"/>);
/// then the full reconcile, so that its leftovers are gone before it takes work. Whatever throws
/// fails the check. The verdict goes into the host's state, which the grain persists when told it
/// changed; a check that began on an endpoint the host has left since says nothing.
/// </summary>
public sealed class HealthProbe(Reconciliation reconciliation, SandboxCanary canary, ILogger logger)
{
    /// <param name="lose">Tells a session its sandbox is gone.</param>
    public async Task<Checked> Run(HostContext h, Func<string, SessionLoss, Task> lose)
    {
        var s = h.State;
        var generation = h.Health.Generation;
        ReconcileReport report;
        CanaryVerdict? verdict = null;
        try
        {
            await h.Engine.PingAsync();
            if (s.Health != HostHealth.Healthy)
                await h.Engine.EnsureNetworkAsync();
            if (h.Health.CanaryDue(s.Health))
                verdict = await canary.Run(h);
            report = await reconciliation.Run(h, SessionsHere(h), s.Health == HostHealth.Unhealthy, lose);
        }
        catch (Exception e)
        {
            var failed = generation == h.Health.Generation;
            return new Checked(new ReconcileReport(0, [], e.Message), failed && Failed(h, e), failed);
        }
        if (generation != h.Health.Generation)
            return new Checked(report, Changed: false, Failed: false);
        var was = s.Health;
        var changed = Succeeded(h, verdict);
        return new Checked(report, changed, Failed: false) { TurnedUnsafe = s.Health == HostHealth.Unsafe && was != HostHealth.Unsafe };
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

    /// <summary>Healthy, or Unsafe by the canary's verdict; without a canary this check, the last verdict stands.</summary>
    private bool Succeeded(HostContext h, CanaryVerdict? verdict)
    {
        var s = h.State;
        h.Health.Succeeded();
        if (verdict is { Ran: true })
            h.Health.CanaryRan();
        var was = s.Health;
        var (health, reason) = verdict is null ? (was, s.UnsafeReason) : verdict.Safe ? (HostHealth.Healthy, null) : (HostHealth.Unsafe, verdict.Reason);
        if (verdict is { Refused.Count: > 0 } && was is not (HostHealth.Healthy or HostHealth.Unsafe))
            logger.LogWarning("Docker host {Host}: a sandbox's connections to port(s) {Ports} were refused rather than dropped; install deploy/host/sandbox-firewall.sh there",
                h.Host, string.Join(", ", verdict.Refused));
        var sessions = SessionsSeen(h);
        if (health == was && reason == s.UnsafeReason && sessions.SetEquals(s.Sessions))
            return false;
        (s.Health, s.UnsafeReason, s.Sessions) = (health, reason, sessions);
        if (health == HostHealth.Unsafe && was != HostHealth.Unsafe)
            logger.LogWarning("Docker host {Host} is Unsafe and takes no work: {Reason}", h.Host, reason);
        else if (health != was)
            logger.LogInformation("Docker host {Host} is {Health} (was {Was}), reconciled with {Running} sandboxes", h.Host, health, was, h.Ledger.Running);
        return true;
    }

    /// <summary>What a check found, whether it changed the host's state (to persist), and whether it failed.</summary>
    public sealed record Checked(ReconcileReport Report, bool Changed, bool Failed)
    {
        /// <summary>This check found the host Unsafe, which it was not before.</summary>
        public bool TurnedUnsafe { get; init; }
    }
}
