using AgentCluster.Grains.Fleet.Hosts;
using AgentCluster.Grains.Sessions;
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
        var listedAt = _ledger.Epoch;
        var before = SessionsHere();
        // Back from Unhealthy: its sessions were told they are Lost, so even their young sandboxes are asked about.
        var lost = state.State.Health == HostHealth.Unhealthy ? before : null;
        // Claimed pool containers are judged by their session's deadline, not the pool's label.
        var listed = (await engine.ListSandboxesAsync()).Select(Effective).ToList();
        var plan = ReconcilePlan.Judge(listed, clock.GetUtcNow(), _options.ClaimGrace, lost, c => _pool.HoldsIdle(c, Name, listedAt));
        foreach (var (container, live) in await Task.WhenAll(plan.Ask.Select(async c => (c, await IsClaimed(c)))))
            plan.Answered(container, live);

        var (killed, failures) = await KillAll(engine, plan.Doomed);
        await TellGone(plan.Losses(Name, _ledger.Unlisted(before, listed, listedAt)));
        _ledger.Rebuild(listedAt, plan.Survivors(killed));
        _pool.Prune(listedAt, _ledger.Knows);
        ScheduleDeadlineKill();
        if (failures.Count > 0)
            throw new InvalidOperationException($"could not kill {failures.Count} sandbox(es): {failures[0]}");
        return new ReconcileReport(listed.Count, [.. killed], null);
    }

    /// <summary>
    /// Tells each session whose sandbox the list shows ended (stopped, expired, unclaimed) or no
    /// longer shows at all, so that none reads Ready without a running container.
    /// </summary>
    private Task TellGone(List<(string Session, SessionLoss Loss)> losses) => Tell(losses, async l =>
    {
        try
        {
            await GrainFactory.GetGrain<ISessionGrain>(l.Session).Lose(l.Loss);
            _health.ToldGone(l.Session, told: true);
        }
        catch (Exception e)
        {
            _health.ToldGone(l.Session, told: false);
            logger.LogWarning(e, "Could not tell session {Session} that its sandbox on {Host} is gone; telling it again at the next reconcile", l.Session, Name);
        }
    });

    /// <summary>The sessions of this host: those the last good check persisted and those tracked since.</summary>
    private HashSet<string> SessionsHere() => [.. state.State.Sessions, .. SessionsSeen()];

    private HashSet<string> SessionsSeen() => [.. _ledger.Sessions, .. _health.UntoldGone];

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
}
