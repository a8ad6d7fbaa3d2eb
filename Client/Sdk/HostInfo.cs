using AgentCluster.Api.V1;

namespace AgentCluster.Client.Sdk;

/// <summary>A Docker host of the fleet; <see cref="Health"/> is Unknown, Healthy, Unhealthy or Unsafe, verbatim; <see cref="LastError"/> says why it takes no work.</summary>
public sealed record HostInfo(
    string Name,
    string Endpoint,
    int Capacity,
    int Running,
    IReadOnlyDictionary<string, string> Labels,
    bool Draining,
    string Health,
    DateTimeOffset? LastCheckAt,
    string LastError)
{
    internal static HostInfo From(Host host) => new(
        host.Name,
        host.Endpoint,
        host.Capacity,
        host.Running,
        host.Labels.ToDictionary(StringComparer.Ordinal),
        host.Draining,
        host.Health,
        ProtoTime.ToDateTimeOffset(host.LastCheckAt),
        host.LastError);
}
