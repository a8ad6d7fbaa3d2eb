using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// A desktop's start-up CPU boost (<see cref="StartBoostOptions"/>). A cold desktop is created at
/// the boost's cap; a pooled one is created at its own (its start is off every session's path) and
/// raised by its claim, when its first page is drawn. At a reconcile, each running container that
/// carries its own cap (<see cref="SandboxLabels.Cpus"/>) whose window is over (from its claim, else
/// its creation) gets that cap back, once per activation (a failover's new one sets it again,
/// harmlessly), so no boost outlives its window by more than a reconcile. Plain state of the
/// host's grain, touched between awaits.
/// </summary>
public sealed class StartBoost(TimeSpan window, long nanoCpus, TimeProvider clock, ILogger logger)
{
    private readonly HashSet<string> _ended = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _raised = new(StringComparer.Ordinal);

    /// <summary>
    /// Raises a claimed pooled desktop's cap for a window from now. Best effort: a claim does not
    /// fail for it, and a reconcile gives the own cap back whether the raise landed or not.
    /// </summary>
    public async Task Raise(HostContext h, string containerId, long ownNanoCpus)
    {
        if (nanoCpus <= ownNanoCpus)
            return;
        _ended.Remove(containerId);
        _raised[containerId] = clock.GetUtcNow();
        try
        {
            await h.Engine.SetCpusAsync(containerId, nanoCpus);
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "Docker host {Host}: the claim's start-up boost of {Container} was not set; it starts at its own cap", h.Host, containerId);
        }
    }

    /// <summary>Gives back their own cap to the listed containers whose boost is over; one that fails is tried at the next reconcile.</summary>
    public async Task End(HostContext h, IReadOnlyCollection<SandboxContainer> listed)
    {
        var now = clock.GetUtcNow();
        var due = listed.Where(c => c is { State: "running", OwnNanoCpus: not null } && !_ended.Contains(c.Id) && BoostedSince(c) + window <= now).ToList();
        await Task.WhenAll(due.Select(async c =>
        {
            try
            {
                await h.Engine.SetCpusAsync(c.Id, c.OwnNanoCpus!.Value);
                _ended.Add(c.Id);
                _raised.Remove(c.Id);
            }
            catch (Exception e)
            {
                logger.LogDebug(e, "Docker host {Host}: the start-up boost of {Container} did not end; trying again at the next reconcile", h.Host, c.Id);
            }
        }));
        // What is no longer listed is gone: forget it.
        var ids = listed.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        _ended.IntersectWith(ids);
        foreach (var gone in _raised.Keys.Where(id => !ids.Contains(id)).ToList())
            _raised.Remove(gone);
    }

    private DateTimeOffset BoostedSince(SandboxContainer c) => _raised.TryGetValue(c.Id, out var raised) ? raised : c.Created;
}
