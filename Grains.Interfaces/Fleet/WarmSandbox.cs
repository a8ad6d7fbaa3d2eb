namespace AgentCluster.Grains.Fleet;

/// <summary>An idle, paused container in a host's warm pool, waiting for a session to claim it.</summary>
[GenerateSerializer, Immutable]
public sealed record WarmSandbox(
    [property: Id(0)] string ContainerId,
    [property: Id(1)] string Image,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] DateTimeOffset Deadline);
