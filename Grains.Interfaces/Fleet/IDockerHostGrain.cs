namespace AgentCluster.Grains.Fleet;

/// <summary>One per Docker engine, keyed by host name: launches, kills and reconciles its sandboxes.</summary>
[Alias("AgentCluster.Grains.Fleet.IDockerHostGrain")]
public interface IDockerHostGrain : IGrainWithStringKey
{
    /// <summary>Registers the host or updates it; a new endpoint must be checked again before it takes work.</summary>
    [Alias("Register")]
    Task<DockerHostStatus> Register(DockerHostRegistration registration);

    /// <summary>No new sessions; the running ones go on to their end.</summary>
    [Alias("Drain")]
    Task<DockerHostStatus> Drain();

    [Alias("Resume")]
    Task<DockerHostStatus> Resume();

    /// <summary>Null when the host is not registered.</summary>
    [Alias("GetStatus")]
    Task<DockerHostStatus?> GetStatus();

    /// <summary>
    /// Claims a container from the host's warm pool when one fits the spec, else creates and
    /// starts the session's hardened container; or says why not.
    /// </summary>
    [Alias("Launch")]
    Task<LaunchResult> Launch(SandboxSpec spec);

    /// <summary>SIGKILL and force-remove. Idempotent: false when the container was already gone.</summary>
    [Alias("Kill")]
    Task<bool> Kill(string containerId);

    /// <summary>Moves a container's deadline later (its session was extended); false when it has not been listed here yet.</summary>
    [Alias("Extend")]
    Task<bool> Extend(string containerId, DateTimeOffset deadline);

    /// <summary>Pings and reconciles now, rather than at the next tick.</summary>
    [Alias("Reconcile")]
    Task<ReconcileReport> Reconcile();

    /// <summary>The idle containers of the host's warm pool, oldest first.</summary>
    [Alias("GetWarmPool")]
    Task<IReadOnlyList<WarmSandbox>> GetWarmPool();

    /// <summary>
    /// Forgets the host: its checks stop and its registration is cleared (idle pool containers are
    /// killed if the engine answers). Busy, changing nothing, while it runs live sessions.
    /// </summary>
    [Alias("Remove")]
    Task<HostRemoval> Remove();
}
