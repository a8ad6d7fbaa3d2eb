using System.Globalization;

namespace AgentCluster.Grains.Fleet;

public sealed partial class DockerHostGrain
{
    public async Task<bool> Extend(string containerId, DateTimeOffset deadline)
    {
        // Stored even for a container not listed yet (a fresh activation): the next listing applies it.
        state.State.Extensions[containerId] = deadline;
        await Persist();
        if (_bound.TryGetValue(containerId, out var binding))
            _bound[containerId] = binding with { Deadline = deadline };
        if (!_known.TryGetValue(containerId, out var tracked))
            return false;
        _known[containerId] = tracked with { Container = Extended(tracked.Container) };
        _retryKillAt.Remove(containerId);
        ScheduleDeadlineKill();
        return true;
    }

    /// <summary>The container as its session sees it: with the later of its label's and its extension's deadline.</summary>
    private SandboxContainer Extended(SandboxContainer container)
    {
        if (!state.State.Extensions.TryGetValue(container.Id, out var extended) || container.Deadline >= extended)
            return container;
        var labels = new Dictionary<string, string>(container.Labels, StringComparer.Ordinal)
        {
            [SandboxLabels.Deadline] = extended.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        };
        return container with { Labels = labels };
    }
}
