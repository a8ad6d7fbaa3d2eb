using System.Collections.Immutable;

namespace AgentCluster.Grains.Fleet;

/// <summary>
/// What a session asks of its container. Everything else about the container (user, capabilities,
/// seccomp, read-only root, network, environment) is fixed by the fleet, never by the caller.
/// <see cref="Proxy"/> is the session's egress credential: the fleet writes it, with the proxy's
/// address on that host, into HTTP_PROXY/HTTPS_PROXY. <see cref="Desktop"/> marks a desktop image
/// (Xvfb, Chromium and the computer server): its container gets what a browser needs on top of the
/// same hardening (see SandboxContainerSpec).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SandboxSpec(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string Tenant,
    [property: Id(2)] string Image,
    [property: Id(3)] DateTimeOffset Deadline,
    [property: Id(4)] long MemoryBytes,
    [property: Id(5)] long PidsLimit,
    [property: Id(6)] long TmpSizeBytes,
    [property: Id(7)] long CacheSizeBytes,
    [property: Id(8)] ImmutableDictionary<string, string> HostLabels,
    [property: Id(9)] Egress.ProxyCredential? Proxy = null,
    [property: Id(10)] bool Desktop = false)
{
    /// <summary>CPU time in billionths of a CPU (Docker's <c>NanoCpus</c>, <c>--cpus</c> × 10⁹): 1 CPU unless asked otherwise.</summary>
    [Id(11)]
    public long NanoCpus { get; init; } = DefaultNanoCpus;

    /// <summary>
    /// A desktop's first page, checked by the session against its allowlist and gate: a cold launch's
    /// browser starts on it, a claimed desktop's goes there at its claim. Null: a blank page.
    /// </summary>
    [Id(12)]
    public string? StartUrl { get; init; }

    /// <summary>The longest first page a desktop takes (the computer API's navigate takes as long).</summary>
    public const int MaxStartUrlLength = 8192;

    public const long MiB = 1024 * 1024;
    public const long NanoCpusPerCpu = 1_000_000_000;
    public const long DefaultNanoCpus = NanoCpusPerCpu;
    public const long DefaultMemoryBytes = 2048 * MiB;
    public const long DefaultPidsLimit = 256;
    public const long DefaultTmpSizeBytes = 512 * MiB;
    public const long DefaultCacheSizeBytes = 256 * MiB;

    /// <summary>A browser's processes: about 110 idle and 212 with nine tabs, and 256 runs out at 17 tabs.</summary>
    public const long DesktopPidsLimit = 1024;

    /// <summary>A spec with the default limits and no host-label requirements.</summary>
    public static SandboxSpec Create(string sessionId, string tenant, string image, DateTimeOffset deadline) =>
        new(sessionId, tenant, image, deadline, DefaultMemoryBytes, DefaultPidsLimit,
            DefaultTmpSizeBytes, DefaultCacheSizeBytes, ImmutableDictionary<string, string>.Empty);

    /// <summary>A desktop session's spec: the default limits, with room for a browser's processes.</summary>
    public static SandboxSpec CreateDesktop(string sessionId, string tenant, string image, DateTimeOffset deadline) =>
        Create(sessionId, tenant, image, deadline) with { PidsLimit = DesktopPidsLimit, Desktop = true };
}
