using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// The kills on a host's engine: each through its ledger, so that callers racing for one container
/// share one engine call; many at once in a window; never a container that is not a sandbox.
/// </summary>
/// <param name="retryAfter">How long after a failed kill at the deadline the deadline timer tries again.</param>
public sealed class SandboxKills(TimeSpan retryAfter, TimeProvider clock, ILogger logger)
{
    public const int AtOnce = 8;

    public static Task<bool> Once(HostContext h, string containerId) => h.Ledger.Kill(containerId, id => h.Engine.KillAsync(id));

    /// <summary>Kills each with its reason; says which died and why the others did not.</summary>
    public async Task<(HashSet<string> Killed, List<string> Failures)> All(HostContext h, IEnumerable<(SandboxContainer Container, string Why)> doomed)
    {
        var killed = new HashSet<string>(StringComparer.Ordinal);
        var failures = new List<string>();
        await Window.Run(doomed, AtOnce, async d =>
        {
            try
            {
                await Once(h, d.Container.Id);
                killed.Add(d.Container.Id);
                // An idle pool container has no session yet: its pool id stands in.
                logger.LogWarning("Killed {Container} (session {Session}, tenant {Tenant}) on {Host}: {Why}",
                    d.Container.Id, d.Container.SessionId ?? d.Container.LabelledSession, d.Container.Tenant, h.Host, d.Why);
            }
            catch (Exception e)
            {
                failures.Add($"{d.Container.Id}: {e.Message}");
                logger.LogError(e, "Could not kill {Container} on {Host} ({Why})", d.Container.Id, h.Host, d.Why);
            }
        });
        return (killed, failures);
    }

    /// <summary>
    /// The kill a caller asks for by id. A container the host does not count is killed only if the
    /// engine shows it is a sandbox. False when there was no such container.
    /// </summary>
    public async Task<bool> Asked(HostContext h, string containerId)
    {
        if (!h.Ledger.Knows(containerId))
        {
            if (await h.Engine.InspectAsync(containerId) is not { } inspect)
                return false;
            if (inspect.Config?.Labels is not { } labels || !labels.ContainsKey(SandboxLabels.Session))
                throw new InvalidOperationException($"container {containerId} on Docker host {h.Host} is not a sandbox; refusing to kill it");
            containerId = inspect.ID;
        }

        var existed = await Once(h, containerId);
        h.Forget(containerId);
        logger.LogInformation("Killed {Container} on {Host} ({Outcome})", containerId, h.Host, existed ? "removed" : "already gone");
        return existed;
    }

    /// <summary>Kills those whose deadline came; one whose kill failed is tried again <c>retryAfter</c> from now.</summary>
    public async Task Expired(HostContext h, List<SandboxContainer> due)
    {
        var (killed, _) = await All(h, due.Select(c => (c, "its deadline passed")));
        var retry = clock.GetUtcNow() + retryAfter;
        foreach (var container in due)
        {
            h.Ledger.KillEnded(container.Id, killed.Contains(container.Id), retry);
            if (killed.Contains(container.Id))
                h.Forget(container.Id);
        }
    }

    /// <summary>A pool container no longer wanted; one that cannot be killed now is left to the reconcile.</summary>
    public async Task Discard(HostContext h, string containerId, string why)
    {
        try
        {
            await Once(h, containerId);
            h.Forget(containerId);
        }
        catch (Exception e)
        {
            // Idle and not ours any more, or bound to a session that does not claim it: the reconcile kills it.
            logger.LogWarning(e, "Could not kill pool container {Container} on {Host} ({Why})", containerId, h.Host, why);
        }
    }
}
