using Docker.DotNet.Models;

namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// One host as a sequence its grain runs sees it: its name, its engine as it was when the sequence
/// began, its persisted state, and what it counts, pools and knows of its health. Made anew for each
/// sequence; keeps nothing of its own.
/// </summary>
public sealed record HostContext(string Host, IDockerEngine Engine, DockerHostState State, ContainerLedger Ledger, WarmPool Pool, HealthWatch Health)
{
    /// <summary>The deployment whose containers this host makes and judges; null where none is kept (a fleet in a test).</summary>
    public string? Deployment { get; init; }

    /// <summary>What this deployment's reconciles judge: its own containers, and those made before deployments were labelled.</summary>
    public bool Owns(SandboxContainer container) => container.Deployment is null || container.Deployment == Deployment;

    /// <summary>Labels a container this host is about to make as its deployment's.</summary>
    public CreateContainerParameters Own(CreateContainerParameters parameters)
    {
        if (Deployment is not null)
            parameters.Labels[SandboxLabels.Deployment] = Deployment;
        return parameters;
    }

    /// <summary>A container that is gone: no longer counted, pooled or extended.</summary>
    public void Forget(string containerId)
    {
        Ledger.Forget(containerId);
        Pool.Forget(containerId);
        State.Extensions.Remove(containerId);
    }

    /// <summary>A listed container as its session sees it: as claimed from the pool, or as extended.</summary>
    public SandboxContainer Effective(SandboxContainer listed) => Pool.Claimed(listed) ?? Extended(State, listed);

    /// <summary>The container as its session sees it: with the later of its label's and its extension's deadline.</summary>
    public static SandboxContainer Extended(DockerHostState state, SandboxContainer container) =>
        state.Extensions.TryGetValue(container.Id, out var extended) ? container.ExtendedTo(extended) : container;
}
