using AgentCluster.Api.V1;

namespace AgentCluster.Client.Sdk;

/// <summary>
/// A session as the server reports it. <see cref="State"/> is one of <see cref="SessionStates"/>;
/// the host, container and reason are empty until there is one. <see cref="AllowGrants"/> holds
/// <c>resource:action</c> pairs; <see cref="MaxGrantTtl"/> is null when the server sent none.
/// <see cref="Desktop"/>: its image is a desktop, which <see cref="ComputerClient"/> acts on.
/// <see cref="InspectTls"/>: the proxy terminates TLS for every allowlisted HTTPS host of the session.
/// </summary>
public sealed record SessionInfo(
    string Id,
    string Tenant,
    string State,
    string Image,
    string Host,
    string ContainerId,
    string ContainerIp,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? Deadline,
    string Reason,
    IReadOnlyList<string> AllowHosts,
    IReadOnlyList<string> AllowGrants,
    TimeSpan? MaxGrantTtl,
    bool Desktop = false,
    bool InspectTls = false)
{
    internal static SessionInfo From(Session session) => new(
        session.Id,
        session.Tenant,
        session.State,
        session.Image,
        session.Host,
        session.ContainerId,
        session.ContainerIp,
        ProtoTime.ToDateTimeOffset(session.CreatedAt),
        ProtoTime.ToDateTimeOffset(session.Deadline),
        session.Reason,
        [.. session.AllowHosts],
        [.. session.AllowGrants],
        ProtoTime.ToTimeSpan(session.MaxGrantTtl),
        session.Desktop,
        session.InspectTls);
}
