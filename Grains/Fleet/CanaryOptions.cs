namespace AgentCluster.Grains.Fleet;

/// <summary>
/// <c>AgentCluster:Fleet:Canary</c>: the container that proves, at a host's registration and then
/// every <see cref="Interval"/>, that a sandbox on it reaches nothing of the host but the proxy.
/// </summary>
public sealed class CanaryOptions
{
    /// <summary>The ports probed on every host whatever the configuration: PostgreSQL, SSH and the Docker API.</summary>
    public static readonly IReadOnlyList<int> WellKnownPorts = [5432, 22, 2375, 2376];

    /// <summary>An image with busybox <c>sh</c> and <c>nc</c>, on every host (the local sandbox image is one).</summary>
    public string Image { get; set; } = "agentcluster/sandbox:local";

    /// <summary>
    /// How often a healthy host runs it; a host that is new, back from Unhealthy, or whose last
    /// canary could not run, runs it at its next check.
    /// </summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long each probe waits for an answer (whole seconds, at least one).</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>More ports to probe besides the cluster's own and <see cref="WellKnownPorts"/>.</summary>
    public List<int> Ports { get; set; } = [];

    /// <summary>
    /// Every port probed but the proxy's: the cluster's own (<c>AgentCluster:Ports</c>, PostgreSQL's
    /// when configured), the well-known ones and <see cref="Ports"/>. Set at start.
    /// </summary>
    public IReadOnlyList<int> Probed { get; set; } = WellKnownPorts;
}
