using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Fleet;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Sessions;

/// <summary>How a session learns that its sandbox is gone without anyone having killed it.</summary>
public sealed partial class SessionGrain
{
    public async Task MarkLost(string host)
    {
        if (!Exists || Ended || S.Host != host)
            return;
        await Transition(SessionStatus.Lost, AuditActors.System, $"host {host} is unhealthy");
        await Release();
    }

    public async Task<SessionInfo?> Lose(SessionLoss loss)
    {
        if (!Exists)
            return null;
        if (Ended || !AppliesTo(loss))
            return Info();
        if (clock.GetUtcNow() >= S.Deadline)
        {
            await Terminate(AuditActors.System, "ttl");
            return Info();
        }
        // A host that found the sandbox gone removes what is left of it itself.
        var container = loss.Host is null ? await KillContainer() : "gone";
        S.Reason = loss.Reason;
        await Transition(SessionStatus.Lost, AuditActors.System, loss.Reason, ("container", container));
        await Release();
        return Info();
    }

    public async Task<SessionInfo?> Fail(string containerId, string reason)
    {
        if (!Exists)
            return null;
        if (Ended || S.ContainerId != containerId)
            return Info();
        var container = await KillContainer();
        S.Reason = reason;
        await Transition(SessionStatus.Failed, AuditActors.System, reason, ("container", container));
        await Release();
        return Info();
    }

    /// <summary>A host speaks only of the sandbox it launched; a starting session has none yet.</summary>
    private bool AppliesTo(SessionLoss loss) =>
        (loss.Host is null || S.Host == loss.Host && S.Status == SessionStatus.Ready)
        && (loss.ContainerId is null || S.ContainerId == loss.ContainerId)
        && (loss.CreatedBefore is not { } before || S.CreatedAt < before);

    private async Task<string> KillContainer()
    {
        if (S.Host is not { } host || S.ContainerId is not { } container)
            return "no container";
        try
        {
            return await GrainFactory.GetGrain<IDockerHostGrain>(host).Kill(container) ? "killed" : "already gone";
        }
        catch (Exception e)
        {
            // The host's reconcile kills it: its session no longer claims it and its deadline label stands.
            logger.LogWarning(e, "Session {Session}: kill of {Container} on {Host} failed", Id, container, host);
            return "host unreachable; reconcile will kill it";
        }
    }
}
