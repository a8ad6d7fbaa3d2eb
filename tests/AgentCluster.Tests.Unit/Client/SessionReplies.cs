using AgentCluster.Api.V1;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Unit.Client;

/// <summary>Sessions as a server would answer them, and the paths of SessionService's methods.</summary>
internal static class SessionReplies
{
    public const string Create = "/agentcluster.v1.SessionService/CreateSession";
    public const string Get = "/agentcluster.v1.SessionService/GetSession";
    public const string List = "/agentcluster.v1.SessionService/ListSessions";
    public const string Kill = "/agentcluster.v1.SessionService/KillSession";
    public const string Extend = "/agentcluster.v1.SessionService/ExtendSession";
    public const string ChangeAllowHosts = "/agentcluster.v1.SessionService/ChangeAllowHosts";

    public const string ContainerId = "4f1c2b3a5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708";

    public static readonly DateTimeOffset CreatedAt = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static Session Ready(string id = "ses_0123456789abcdef") => new()
    {
        Id = id,
        Tenant = "acme",
        State = "Ready",
        Image = "agentcluster/sandbox:local",
        Host = "docker-1",
        ContainerId = ContainerId,
        ContainerIp = "172.30.0.5",
        CreatedAt = Timestamp.FromDateTimeOffset(CreatedAt),
        Deadline = Timestamp.FromDateTimeOffset(CreatedAt.AddMinutes(10)),
        AllowHosts = { "api.example.com:443", "pypi.org" },
        AllowGrants = { "stripe:read", "github:write" },
        MaxGrantTtl = Duration.FromTimeSpan(TimeSpan.FromMinutes(2)),
    };

    public static Session Failed(string reason) => new()
    {
        Id = "ses_failed",
        Tenant = "acme",
        State = "Failed",
        Image = "agentcluster/sandbox:local",
        Host = "docker-1",
        CreatedAt = Timestamp.FromDateTimeOffset(CreatedAt),
        Deadline = Timestamp.FromDateTimeOffset(CreatedAt.AddMinutes(10)),
        Reason = reason,
    };
}
