namespace AgentCluster.Grains.Fleet;

/// <summary>
/// The labels every sandbox container carries. They are the reconcile's only source of truth,
/// so a container can be found and killed even when every grain that knew of it is gone.
/// </summary>
public static class SandboxLabels
{
    public const string Session = "agentcluster.session";
    public const string Tenant = "agentcluster.tenant";

    /// <summary>Unix time in milliseconds, UTC.</summary>
    public const string Deadline = "agentcluster.deadline";

    /// <summary>
    /// On a warm-pool container: the host that made it. Such a container has no tenant label, its
    /// session label is its pool id, and its deadline is the pool's bound; it belongs to a session
    /// once renamed to that session's container name.
    /// </summary>
    public const string Pool = "agentcluster.pool";

    /// <summary>
    /// The deployment that made it (<see cref="IDeploymentGrain"/>). A reconcile leaves another
    /// deployment's containers to that deployment, even expired: only it knows their sessions and
    /// extensions. One without the label (made before it existed) is judged by any deployment, as then.
    /// </summary>
    public const string Deployment = "agentcluster.deployment";

    /// <summary>
    /// On a cold desktop made with a start-up CPU boost: its own cap (nano CPUs), which its host
    /// gives it back once the boost is over, even after a failover (the label outlives every grain).
    /// </summary>
    public const string Cpus = "agentcluster.cpus";

    /// <summary>On a host's canary: the host. It has no session label, so no sweep of sandboxes sees it.</summary>
    public const string Canary = "agentcluster.canary";
}
