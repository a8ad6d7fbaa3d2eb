namespace AgentCluster.Grains.Sessions;

[GenerateSerializer]
public sealed class SessionState
{
    [Id(0)] public string? Tenant { get; set; }
    [Id(1)] public string Image { get; set; } = "";
    [Id(2)] public SessionStatus Status { get; set; }
    [Id(3)] public string? Host { get; set; }
    [Id(4)] public string? ContainerId { get; set; }
    [Id(5)] public string? ContainerIp { get; set; }
    [Id(6)] public DateTimeOffset CreatedAt { get; set; }
    [Id(7)] public DateTimeOffset Deadline { get; set; }
    [Id(8)] public string? Reason { get; set; }
    [Id(9)] public List<string> AllowHosts { get; set; } = [];
    [Id(10)] public List<string> AllowGrants { get; set; } = [];
    [Id(11)] public TimeSpan MaxGrantTtl { get; set; }
    [Id(12)] public List<string> GrantHashes { get; set; } = [];
    [Id(13)] public TimeSpan? IdleTimeout { get; set; }
}
