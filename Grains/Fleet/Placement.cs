using System.Collections.Immutable;

namespace AgentCluster.Grains.Fleet;

/// <summary>The choice of host for a new sandbox, from a snapshot of the hosts' status.</summary>
public static class Placement
{
    /// <summary>
    /// The hosts that can take the spec, best first: healthy, not draining, a free slot, every
    /// requested label matching; then the lowest share of capacity in use, then the most free
    /// slots, then by name so the order is stable.
    /// </summary>
    public static IReadOnlyList<DockerHostStatus> Candidates(IEnumerable<DockerHostStatus> hosts, ImmutableDictionary<string, string> required) =>
        [.. hosts
            .Where(h => h.TakesWork && Matches(h.Labels, required))
            .OrderBy(h => (double)h.Running / h.Capacity)
            .ThenByDescending(h => h.Free)
            .ThenBy(h => h.Name, StringComparer.Ordinal)];

    /// <summary>
    /// The matching hosts whose first check has not ended yet (registered on a node that has just
    /// started, or just added): not candidates yet, but they may be in a moment.
    /// </summary>
    public static IReadOnlyList<DockerHostStatus> Unchecked(IEnumerable<DockerHostStatus> hosts, ImmutableDictionary<string, string> required) =>
        [.. hosts.Where(h => h is { Health: HostHealth.Unknown, LastCheckAt: null, Draining: false } && Matches(h.Labels, required))];

    /// <summary>Why no host can take the spec, when <see cref="Candidates"/> is empty.</summary>
    public static string WhyNoHost(IReadOnlyCollection<DockerHostStatus> hosts, ImmutableDictionary<string, string> required)
    {
        if (hosts.Count == 0)
            return "no Docker host is registered";
        var labelled = hosts.Where(h => Matches(h.Labels, required)).ToList();
        if (labelled.Count == 0)
            return $"no Docker host has the labels {string.Join(",", required.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}"))}";
        var healthy = labelled.Count(h => h.Health == HostHealth.Healthy && !h.Draining);
        return healthy == 0
            ? $"none of the {labelled.Count} matching Docker hosts is healthy and accepting sessions"
            : $"all {healthy} healthy Docker hosts are at capacity";
    }

    private static bool Matches(ImmutableDictionary<string, string> labels, ImmutableDictionary<string, string> required) =>
        required.All(r => labels.TryGetValue(r.Key, out var value) && value == r.Value);
}
