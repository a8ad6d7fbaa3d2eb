namespace AgentCluster.Grains.Fleet;

/// <summary>The list of Docker hosts and the choice of one for a new session.</summary>
[Alias("AgentCluster.Grains.Fleet.IFleetGrain")]
public interface IFleetGrain : IGrainWithStringKey
{
    public const string Key = "fleet";

    [Alias("AddHost")]
    Task AddHost(string name);

    /// <summary>Removes the host from the fleet through <see cref="IDockerHostGrain.Remove"/>, which refuses while it runs sessions.</summary>
    [Alias("RemoveHost")]
    Task<HostRemoval> RemoveHost(string name);

    [Alias("ListHosts")]
    Task<IReadOnlyList<DockerHostStatus>> ListHosts();

    /// <summary>
    /// Places and launches, moving on to the next candidate when a host turns out to be full,
    /// unavailable or without the image. NoCapacity when no host took it: nothing was created.
    /// </summary>
    [Alias("Launch")]
    Task<LaunchResult> Launch(SandboxSpec spec);
}
