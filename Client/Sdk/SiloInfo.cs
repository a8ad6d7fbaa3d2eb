using AgentCluster.Api.V1;

namespace AgentCluster.Client.Sdk;

/// <summary>One silo as the membership table records it; Status is the server's string verbatim.</summary>
public sealed record SiloInfo(
    string Address,
    string Status,
    string Name,
    string HostName,
    DateTimeOffset? StartedAt,
    DateTimeOffset? IAmAliveAt,
    int GatewayPort)
{
    internal static SiloInfo From(Silo silo) => new(
        silo.Address,
        silo.Status,
        silo.Name,
        silo.HostName,
        ProtoTime.ToDateTimeOffset(silo.StartedAt),
        ProtoTime.ToDateTimeOffset(silo.IAmAliveAt),
        silo.GatewayPort);
}
