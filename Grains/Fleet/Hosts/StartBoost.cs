using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// Ends desktops' start-up CPU boost (<see cref="StartBoostOptions"/>): at a reconcile, each
/// running container that carries its own cap (<see cref="SandboxLabels.Cpus"/>) and whose boost
/// is over gets that cap back, once. A cold one's boost counts from its creation, a pooled one's
/// from its claim; a claim this activation did not see (a failover) ends at once, so no boost
/// outlives its window by more than a reconcile and a failover. A paused container uses no CPU
/// and keeps its boost for its claim. Plain state of the host's grain, touched between awaits.
/// </summary>
public sealed class StartBoost(TimeSpan window, TimeProvider clock, ILogger logger)
{
    private readonly Dictionary<string, DateTimeOffset> _claimed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ended = new(StringComparer.Ordinal);

    public void Claimed(string containerId) => _claimed[containerId] = clock.GetUtcNow();

    /// <summary>Gives back their own cap to the listed containers whose boost is over; one that fails is tried at the next reconcile.</summary>
    public async Task End(HostContext h, IReadOnlyCollection<SandboxContainer> listed)
    {
        var now = clock.GetUtcNow();
        var due = listed.Where(c => c is { State: "running", OwnNanoCpus: not null } && !_ended.Contains(c.Id) && Began(c) + window <= now).ToList();
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
        var here = listed.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        _ended.IntersectWith(here);
        foreach (var gone in _claimed.Keys.Where(id => !here.Contains(id) || _ended.Contains(id)).ToList())
            _claimed.Remove(gone);
    }

    private DateTimeOffset Began(SandboxContainer c) =>
        _claimed.TryGetValue(c.Id, out var claimed) ? claimed : c.PoolHost is null ? c.Created : DateTimeOffset.MinValue;
}
