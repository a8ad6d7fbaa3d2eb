using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// Ends cold desktops' start-up CPU boost (<see cref="StartBoostOptions"/>): at a reconcile, each
/// running container that carries its own cap (<see cref="SandboxLabels.Cpus"/>) and was created
/// longer than the window ago gets that cap back, once per activation (a failover's new one sets
/// it again, harmlessly), so no boost outlives its window by more than a reconcile. Pooled
/// desktops are never boosted. Plain state of the host's grain, touched between awaits.
/// </summary>
public sealed class StartBoost(TimeSpan window, TimeProvider clock, ILogger logger)
{
    private readonly HashSet<string> _ended = new(StringComparer.Ordinal);

    /// <summary>Gives back their own cap to the listed containers whose boost is over; one that fails is tried at the next reconcile.</summary>
    public async Task End(HostContext h, IReadOnlyCollection<SandboxContainer> listed)
    {
        var now = clock.GetUtcNow();
        var due = listed.Where(c => c is { State: "running", OwnNanoCpus: not null } && !_ended.Contains(c.Id) && c.Created + window <= now).ToList();
        await Task.WhenAll(due.Select(async c =>
        {
            try
            {
                await h.Engine.SetCpusAsync(c.Id, c.OwnNanoCpus!.Value);
                _ended.Add(c.Id);
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "Docker host {Host}: the start-up boost of {Container} did not end; trying again at the next reconcile", h.Host, c.Id);
            }
        }));
        // What is no longer listed is gone: forget it.
        _ended.IntersectWith(listed.Select(c => c.Id));
    }
}
