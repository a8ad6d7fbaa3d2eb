using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace AgentCluster.Grains.Fleet;

[GenerateSerializer]
public sealed class FleetState
{
    [Id(0)] public SortedSet<string> Hosts { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// The host list, and placement over a fresh snapshot of every host's status. Reentrant, so
/// that one slow launch does not hold up the others; only <see cref="AddHost"/> and <see cref="RemoveHost"/> write state.
/// </summary>
[Reentrant]
public sealed class FleetGrain(
    [PersistentState("fleet", StorageNames.Default)] IPersistentState<FleetState> state,
    ILogger<FleetGrain> logger) : Grain, IFleetGrain
{
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstCheckTimeout = TimeSpan.FromSeconds(20);

    private QueuedWrites? _writes;

    public Task AddHost(string name)
    {
        if (!state.State.Hosts.Add(name))
            return Task.CompletedTask;
        return (_writes ??= new QueuedWrites(() => state.WriteStateAsync())).Next();
    }

    public async Task<HostRemoval> RemoveHost(string name)
    {
        var removal = await GrainFactory.GetGrain<IDockerHostGrain>(name).Remove();
        if (removal.Status == HostRemovalStatus.Busy || !state.State.Hosts.Remove(name))
            return removal;
        await (_writes ??= new QueuedWrites(() => state.WriteStateAsync())).Next();
        return removal with { Status = HostRemovalStatus.Removed };
    }

    public async Task<IReadOnlyList<DockerHostStatus>> ListHosts()
    {
        var statuses = await Task.WhenAll(state.State.Hosts.Select(StatusOf));
        return [.. statuses.OfType<DockerHostStatus>()];
    }

    public async Task<LaunchResult> Launch(SandboxSpec spec)
    {
        var hosts = await ListHosts();
        // A host's first check (its canary included) decides whether it takes work, not a race with it.
        if (Placement.Candidates(hosts, spec.HostLabels).Count == 0 && Placement.Unchecked(hosts, spec.HostLabels) is { Count: > 0 } fresh)
        {
            await Task.WhenAll(fresh.Select(h => FirstCheck(h.Name)));
            hosts = await ListHosts();
        }
        var candidates = Placement.Candidates(hosts, spec.HostLabels);
        LaunchResult? imageMissing = null;
        foreach (var host in candidates)
        {
            var result = await GrainFactory.GetGrain<IDockerHostGrain>(host.Name).Launch(spec);
            switch (result.Status)
            {
                case LaunchStatus.NoCapacity or LaunchStatus.HostUnavailable:
                    continue;
                case LaunchStatus.ImageNotFound:
                    // Images are per engine: another host may have it.
                    imageMissing ??= result;
                    continue;
                default:
                    return result;
            }
        }

        return imageMissing
            ?? LaunchResult.Refused(LaunchStatus.NoCapacity, null,
                candidates.Count == 0 ? Placement.WhyNoHost(hosts, spec.HostLabels) : "every candidate Docker host filled up or went away meanwhile");
    }

    private async Task FirstCheck(string name)
    {
        try
        {
            await GrainFactory.GetGrain<IDockerHostGrain>(name).Reconcile().WaitAsync(FirstCheckTimeout);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Docker host {Host} did not finish its first check; placing without it", name);
        }
    }

    private async Task<DockerHostStatus?> StatusOf(string name)
    {
        try
        {
            return await GrainFactory.GetGrain<IDockerHostGrain>(name).GetStatus().WaitAsync(StatusTimeout);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "No status from Docker host {Host}; leaving it out of placement", name);
            return null;
        }
    }
}
