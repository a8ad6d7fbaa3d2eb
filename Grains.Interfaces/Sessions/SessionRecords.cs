using System.Collections.Immutable;

namespace AgentCluster.Grains.Sessions;

[GenerateSerializer]
public enum SessionStatus
{
    Pending,
    Starting,
    Ready,
    Terminating,
    Terminated,
    Failed,

    /// <summary>
    /// Its sandbox stopped running without being killed: its Docker host stopped answering (the
    /// host's reconcile kills the container when it returns), its container exited or went away,
    /// or the embedded node it ran on stopped without ending it.
    /// </summary>
    Lost,
}

/// <summary>What an orchestrator asks for; the session grain checks it against its tenant before anything runs.</summary>
[GenerateSerializer, Immutable]
public sealed record SessionRequest(
    [property: Id(0)] string Tenant,
    [property: Id(1)] string Image,
    [property: Id(2)] TimeSpan Ttl,
    [property: Id(3)] long MemoryBytes,
    [property: Id(4)] long PidsLimit,
    [property: Id(5)] ImmutableArray<string> AllowHosts,
    [property: Id(6)] ImmutableDictionary<string, string> HostLabels,
    [property: Id(7)] TimeSpan? IdleTimeout,
    [property: Id(8)] string Actor,
    [property: Id(9)] ImmutableArray<string> AllowGrants,
    [property: Id(10)] TimeSpan MaxGrantTtl)
{
    public static readonly TimeSpan DefaultMaxGrantTtl = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MaxGrantTtlCeiling = TimeSpan.FromSeconds(300);

    /// <summary>CPU in billionths of a CPU; 0 means the tenant's default. More than the tenant's maximum is refused.</summary>
    [Id(11)]
    public long NanoCpus { get; init; }

    /// <summary>
    /// The proxy terminates TLS for every allowlisted HTTPS host, so the HTTP gate sees every request;
    /// null: on for a desktop session (its browser's clicks become requests), off otherwise.
    /// </summary>
    [Id(30)]
    public bool? InspectTls { get; init; }

    /// <summary>
    /// A desktop session's first page: checked as a navigate is (scheme, allowlist, the tenant's gate
    /// for browser.navigate) before anything is launched, then opened as the browser starts.
    /// </summary>
    [Id(31)]
    public string? StartUrl { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record SessionInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Tenant,
    [property: Id(2)] SessionStatus Status,
    [property: Id(3)] string Image,
    [property: Id(4)] string? Host,
    [property: Id(5)] string? ContainerId,
    [property: Id(6)] string? ContainerIp,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset Deadline,
    [property: Id(9)] string? Reason,
    [property: Id(10)] ImmutableArray<string> AllowHosts,
    [property: Id(11)] ImmutableArray<string> AllowGrants,
    [property: Id(12)] TimeSpan MaxGrantTtl)
{
    /// <summary>Its image is a desktop (the fleet's DesktopImages): it has a computer to screenshot and act on.</summary>
    [Id(13)]
    public bool Desktop { get; init; }

    /// <summary>The proxy terminates TLS for every allowlisted HTTPS host of this session.</summary>
    [Id(30)]
    public bool InspectTls { get; init; }

    public bool IsEnded => Status is SessionStatus.Terminated or SessionStatus.Failed;
}

/// <summary>Why a session's sandbox is gone, and which sessions that applies to.</summary>
[GenerateSerializer, Immutable]
public sealed record SessionLoss([property: Id(0)] string Reason)
{
    /// <summary>The host that found the sandbox gone (and removes what is left of it); null: the session kills it itself.</summary>
    [Id(1)]
    public string? Host { get; init; }

    /// <summary>Only a session whose sandbox is this container.</summary>
    [Id(2)]
    public string? ContainerId { get; init; }

    /// <summary>Only a session created before this: the node that now starts did not launch it.</summary>
    [Id(3)]
    public DateTimeOffset? CreatedBefore { get; init; }
}

/// <summary>What a change asked of a session came to: a refused change changes nothing.</summary>
public enum SessionChangeStatus
{
    Applied,
    NotFound,

    /// <summary>The change breaks a rule (<see cref="SessionChangeResult.Error"/> names each).</summary>
    Invalid,

    /// <summary>The session has ended: nothing about it changes any more.</summary>
    Ended,
}

/// <summary>The session as the change left it (none when not found), and why a refused change was refused.</summary>
[GenerateSerializer, Immutable]
public sealed record SessionChangeResult(
    [property: Id(0)] SessionChangeStatus Status,
    [property: Id(1)] SessionInfo? Session,
    [property: Id(2)] string? Error);

public enum SessionCreateStatus
{
    Ready,
    Failed,
    NoCapacity,
    Invalid,
    AlreadyExists,
}

[GenerateSerializer, Immutable]
public sealed record SessionCreateResult(
    [property: Id(0)] SessionCreateStatus Status,
    [property: Id(1)] SessionInfo? Session,
    [property: Id(2)] string? Error)
{
    /// <summary>
    /// Every rule the request broke, when it was refused before anything was created (status
    /// <see cref="SessionCreateStatus.Invalid"/>, no session); empty otherwise, also when a launch was refused.
    /// </summary>
    [Id(3)]
    public ImmutableArray<string> Errors { get; init; } = [];
}
