namespace AgentCluster.Grains.Fleet;

[GenerateSerializer]
public enum LaunchStatus
{
    Started,

    /// <summary>The spec breaks a limit; nothing was created.</summary>
    Invalid,

    /// <summary>No host (or not this one) has a free slot; nothing was created.</summary>
    NoCapacity,

    /// <summary>This host is draining, unhealthy or unregistered; another may take the session.</summary>
    HostUnavailable,

    /// <summary>The image is not on the host; nothing was created.</summary>
    ImageNotFound,

    /// <summary>Docker refused or failed; whatever was created has been removed.</summary>
    Failed,
}

[GenerateSerializer, Immutable]
public sealed record LaunchResult(
    [property: Id(0)] LaunchStatus Status,
    [property: Id(1)] string? Host,
    [property: Id(2)] string? ContainerId,
    [property: Id(3)] string? IpAddress,
    [property: Id(4)] string? Error)
{
    /// <summary>The container came from the host's warm pool rather than a create.</summary>
    [Id(5)] public bool Pooled { get; init; }

    /// <summary>
    /// A pooled container's egress credential, bound to the session by the claim: the hash of its
    /// secret, which the session keeps in place of its own (a paused container's environment is fixed).
    /// </summary>
    [Id(6)] public string? ProxyCredentialHash { get; init; }

    /// <summary>The id of that credential, for the session's audit of its binding.</summary>
    [Id(7)] public string? PooledCredential { get; init; }

    public static LaunchResult Started(string host, string containerId, string ipAddress) =>
        new(LaunchStatus.Started, host, containerId, ipAddress, null);

    public static LaunchResult Refused(LaunchStatus status, string? host, string error) =>
        new(status, host, null, null, error);
}
