using AgentCluster.Api.V1;
using AgentCluster.Grains.Sessions;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Silo.Api;

internal static class SessionMapping
{
    public static Session ToProto(SessionInfo s) => new()
    {
        Id = s.Id,
        Tenant = s.Tenant,
        State = s.Status.ToString(),
        Image = s.Image,
        Host = s.Host ?? "",
        ContainerId = s.ContainerId ?? "",
        ContainerIp = s.ContainerIp ?? "",
        CreatedAt = Timestamp.FromDateTimeOffset(s.CreatedAt),
        Deadline = Timestamp.FromDateTimeOffset(s.Deadline),
        Reason = s.Reason ?? "",
        AllowHosts = { s.AllowHosts },
        AllowGrants = { s.AllowGrants },
        MaxGrantTtl = Duration.FromTimeSpan(s.MaxGrantTtl),
        Desktop = s.Desktop,
        InspectTls = s.InspectTls,
    };
}
