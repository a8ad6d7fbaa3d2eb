using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Sessions;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// One reconcile against the engine: list every labelled container, judge them (a
/// <see cref="ReconcilePlan"/>), ask the sessions in doubt, kill the doomed, tell the sessions whose
/// sandbox is gone, and rebuild what the host counts and pools from the list.
/// </summary>
/// <param name="audit">Where the <c>session.reaped</c> rows go; an in-process fleet without an audit log passes none.</param>
/// <param name="boost">Ends desktops' start-up boost at each reconcile; none where the fleet boosts none.</param>
public sealed class Reconciliation(SandboxKills kills, SessionNotices notices, ISandboxClaims claims, TimeSpan claimGrace, TimeProvider clock, ILogger logger,
    Func<AuditEvent, Task>? audit = null, StartBoost? boost = null)
{
    private int _others;

    /// <summary>Throws when a kill fails: a host that cannot kill is not healthy.</summary>
    /// <param name="before">The sessions of this host before the list.</param>
    /// <param name="backFromUnhealthy">Its sessions were told they are Lost, so even their young sandboxes are asked about.</param>
    /// <param name="lose">Tells a session its sandbox is gone.</param>
    public async Task<ReconcileReport> Run(HostContext h, HashSet<string> before, bool backFromUnhealthy, Func<string, SessionLoss, Task> lose)
    {
        var listedAt = h.Ledger.Epoch;
        // Claimed pool containers are judged by their session's deadline, not the pool's label.
        var all = await h.Engine.ListSandboxesAsync();
        var listed = all.Where(h.Owns).Select(h.Effective).ToList();
        NoteOthers(h, all.Count - listed.Count);
        var plan = ReconcilePlan.Judge(listed, clock.GetUtcNow(), claimGrace, backFromUnhealthy ? before : null,
            c => h.Pool.HoldsIdle(c, h.Host, listedAt));
        foreach (var (container, live) in await Task.WhenAll(plan.Ask.Select(async c => (c, await IsClaimed(c)))))
            plan.Answered(container, live);

        var (killed, failures) = await kills.All(h, plan.Doomed);
        await Record(ReapedRows.For(h.Host, plan.Doomed, killed));
        await notices.Gone(h, plan.Losses(h.Host, h.Ledger.Unlisted(before, listed, listedAt)), lose);
        h.Ledger.Rebuild(listedAt, plan.Survivors(killed));
        h.Pool.Prune(listedAt, h.Ledger.Knows);
        if (boost is not null)
            await boost.End(h, [.. listed.Where(c => !killed.Contains(c.Id))]);
        if (failures.Count > 0)
            throw new InvalidOperationException($"could not kill {failures.Count} sandbox(es): {failures[0]}");
        return new ReconcileReport(listed.Count, [.. killed], null);
    }

    /// <summary>
    /// Another deployment's containers on a shared engine are its to judge: killing them as
    /// unclaimed here would end its live sessions. Said when their number changes, not every check.
    /// </summary>
    private void NoteOthers(HostContext h, int others)
    {
        if (others == _others)
            return;
        _others = others;
        logger.LogInformation("Docker host {Host}: {Count} container(s) of other deployments on this engine, left to them", h.Host, others);
    }

    /// <summary>A row that cannot be written fails no reconcile: the kill happened, and the log says so.</summary>
    private async Task Record(IReadOnlyList<AuditEvent> rows)
    {
        if (audit is null)
            return;
        foreach (var row in rows)
        {
            try
            {
                await audit(row);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Reaped session {Session}, but its session.reaped audit row could not be written", row.Subject);
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
}
