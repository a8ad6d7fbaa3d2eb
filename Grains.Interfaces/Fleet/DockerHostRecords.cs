using System.Collections.Immutable;

namespace AgentCluster.Grains.Fleet;

[GenerateSerializer]
public enum HostHealth
{
    /// <summary>Registered but not yet pinged and reconciled: takes no work.</summary>
    Unknown,
    Healthy,
    Unhealthy,

    /// <summary>Its engine answers, but its canary found a sandbox could reach more of the host than the proxy: takes no work.</summary>
    Unsafe,
}

/// <summary>How to reach a Docker engine and how much it may run.</summary>
/// <param name="Endpoint"><c>unix:///path.sock</c> or <c>tcp://host:2376</c>.</param>
/// <param name="TlsDir">For tcp: a folder with ca.pem, cert.pem and key.pem (mutual TLS).</param>
/// <param name="Capacity">How many sandboxes it may run at once.</param>
/// <param name="Labels">What placement matches a session's host labels against.</param>
[GenerateSerializer, Immutable]
public sealed record DockerHostRegistration(
    [property: Id(0)] string Endpoint,
    [property: Id(1)] string? TlsDir,
    [property: Id(2)] int Capacity,
    [property: Id(3)] ImmutableDictionary<string, string> Labels);

[GenerateSerializer, Immutable]
public sealed record DockerHostStatus(
    [property: Id(0)] string Name,
    [property: Id(1)] string Endpoint,
    [property: Id(2)] int Capacity,
    [property: Id(3)] int Running,
    [property: Id(4)] ImmutableDictionary<string, string> Labels,
    [property: Id(5)] bool Draining,
    [property: Id(6)] HostHealth Health,
    [property: Id(7)] int ConsecutiveFailures,
    [property: Id(8)] DateTimeOffset? LastCheckAt,
    [property: Id(9)] string? LastError)
{
    /// <summary>What the canary found, while the host is <see cref="HostHealth.Unsafe"/>.</summary>
    [Id(10)]
    public string? UnsafeReason { get; init; }

    /// <summary>The engine's TLS folder (tcp endpoints): with <see cref="Endpoint"/>, how a silo reaches the engine.</summary>
    [Id(11)]
    public string? TlsDir { get; init; }

    public int Free => Math.Max(0, Capacity - Running);

    public bool TakesWork => Health == HostHealth.Healthy && !Draining && Free > 0;
}

/// <summary>What one reconcile pass found and did.</summary>
[GenerateSerializer, Immutable]
public sealed record ReconcileReport(
    [property: Id(0)] int Listed,
    [property: Id(1)] ImmutableArray<string> Killed,
    [property: Id(2)] string? Error);
