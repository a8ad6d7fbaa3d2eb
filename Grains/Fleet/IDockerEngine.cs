using System.Globalization;
using Docker.DotNet.Models;

namespace AgentCluster.Grains.Fleet;

/// <summary>The calls the fleet makes on one Docker engine, each bounded by a timeout.</summary>
public interface IDockerEngine
{
    Task PingAsync(CancellationToken ct = default);

    /// <summary>Creates the internal sandbox network if it is missing; refuses one that is not internal.</summary>
    Task EnsureNetworkAsync(CancellationToken ct = default);

    /// <summary>
    /// Creates and starts the container. If anything after the create fails, the container is
    /// removed before the exception (a <see cref="SandboxLaunchException"/>) is thrown.
    /// </summary>
    Task<StartedSandbox> LaunchAsync(CreateContainerParameters parameters, CancellationToken ct = default);

    /// <summary>SIGKILL, then force-remove. False when there was no such container (idempotent).</summary>
    Task<bool> KillAsync(string containerId, CancellationToken ct = default);

    /// <summary>Every container, in any state, that carries the session label.</summary>
    Task<IReadOnlyList<SandboxContainer>> ListSandboxesAsync(CancellationToken ct = default);

    /// <summary>Null when there is no such container.</summary>
    Task<ContainerInspectResponse?> InspectAsync(string containerId, CancellationToken ct = default);

    /// <summary>Freezes every process of the container (the cgroup freezer): a warm-pool container waits so.</summary>
    Task PauseAsync(string containerId, CancellationToken ct = default);

    Task UnpauseAsync(string containerId, CancellationToken ct = default);

    /// <summary>Sets a running container's CPU cap (the cgroup's quota), as <c>docker update --cpus</c>.</summary>
    Task SetCpusAsync(string containerId, long nanoCpus, CancellationToken ct = default);

    /// <summary>
    /// Gives the container a new name. A <see cref="SandboxLaunchException"/> when the name is
    /// taken: names are unique per engine, which is what keeps a session to one container.
    /// </summary>
    Task RenameAsync(string containerId, string name, CancellationToken ct = default);

    /// <summary>
    /// Runs a short-lived container to its end (at most <paramref name="limit"/>) and returns what
    /// it wrote; the container is removed whatever happens, and so is an earlier one of its name.
    /// </summary>
    Task<string> RunToEndAsync(CreateContainerParameters parameters, TimeSpan limit, CancellationToken ct = default);

    /// <summary>The host's address on the internal sandbox network (its gateway); null when the engine does not name one.</summary>
    Task<string?> GatewayAsync(CancellationToken ct = default);

    /// <summary>
    /// A duplex stream to a running container's standard streams (read: stdout; write: stdin)
    /// over the engine connection. Disposing it detaches; the container keeps running.
    /// </summary>
    Task<Stream> AttachAsync(string containerId, CancellationToken ct = default);

    /// <summary>Where a sandbox on this engine reaches the egress proxy (the internal network's gateway); null when unknown.</summary>
    Task<string?> ProxyAddressAsync(CancellationToken ct = default) => Task.FromResult<string?>(null);
}

/// <summary>Hands out one engine client per endpoint, shared by every grain that uses it.</summary>
public interface IDockerEngines
{
    IDockerEngine Get(DockerEndpoint endpoint);
}

public sealed record StartedSandbox(string ContainerId, string IpAddress);

/// <summary>A labelled container as a list call sees it; the labels are as found, maybe malformed.</summary>
public sealed record SandboxContainer(
    string Id,
    IReadOnlyDictionary<string, string> Labels,
    string State,
    DateTimeOffset Created,
    string Name = "")
{
    /// <summary>
    /// The session the container belongs to: its label, or for a warm-pool container the session
    /// it was renamed to on its claim (null while it is idle).
    /// </summary>
    public string? SessionId => PoolHost is null ? LabelledSession : BoundSession;

    /// <summary>The session label as found: for a warm-pool container, its pool id.</summary>
    public string? LabelledSession => Labels.GetValueOrDefault(SandboxLabels.Session) is { Length: > 0 } s ? s : null;

    /// <summary>The host whose warm pool made it; null for a container made for a session.</summary>
    public string? PoolHost => Labels.GetValueOrDefault(SandboxLabels.Pool) is { Length: > 0 } h ? h : null;

    /// <summary>Its process has ended: the engine lists it as exited or dead (no sandbox has a restart policy).</summary>
    public bool HasStopped => State is "exited" or "dead";

    /// <summary>A warm-pool container no session has claimed: it still has the name it was created with.</summary>
    public bool IsIdlePool => PoolHost is not null && BoundSession is null;

    private string? BoundSession =>
        Name.StartsWith(SandboxContainerSpec.NamePrefix, StringComparison.Ordinal) && Name != SandboxContainerSpec.ContainerName(LabelledSession ?? "")
            ? Name[SandboxContainerSpec.NamePrefix.Length..]
            : null;

    /// <summary>A boosted desktop's own CPU cap (<see cref="SandboxLabels.Cpus"/>); null on a container made without a boost.</summary>
    public long? OwnNanoCpus => long.TryParse(Labels.GetValueOrDefault(SandboxLabels.Cpus), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    /// <summary>The deployment that made it; null on a container made before deployments were labelled.</summary>
    public string? Deployment => Labels.GetValueOrDefault(SandboxLabels.Deployment);

    public string? Tenant => Labels.GetValueOrDefault(SandboxLabels.Tenant) is { Length: > 0 } t ? t : null;

    public DateTimeOffset? Deadline =>
        long.TryParse(Labels.GetValueOrDefault(SandboxLabels.Deadline), out var ms) && ms > 0
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    /// <summary>
    /// The container as its extended session sees it: with the later of its label's deadline and
    /// this one. A started container's labels cannot change; the host that extended it knows better.
    /// </summary>
    public SandboxContainer ExtendedTo(DateTimeOffset deadline) =>
        Deadline >= deadline ? this : Relabelled((SandboxLabels.Deadline, DeadlineLabel(deadline)));

    /// <summary>The container with these labels replaced by what its host knows better.</summary>
    public SandboxContainer Relabelled(params (string Key, string Value)[] changes)
    {
        var labels = new Dictionary<string, string>(Labels, StringComparer.Ordinal);
        foreach (var (key, value) in changes)
            labels[key] = value;
        return this with { Labels = labels };
    }

    public static string DeadlineLabel(DateTimeOffset deadline) => deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
}

/// <summary>A launch that failed; nothing it created is left behind.</summary>
public sealed class SandboxLaunchException(string message, bool imageNotFound = false, Exception? inner = null)
    : Exception(message, inner)
{
    public bool ImageNotFound { get; } = imageNotFound;
}
