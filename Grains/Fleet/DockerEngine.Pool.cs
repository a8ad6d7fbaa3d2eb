using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace AgentCluster.Grains.Fleet;

/// <summary>The calls only the warm pool and the desktops' start-up boost make.</summary>
public sealed partial class DockerEngine
{
    public Task PauseAsync(string containerId, CancellationToken ct = default) =>
        Bounded(c => _client.Containers.PauseContainerAsync(containerId, c), "pause", ct);

    public Task UnpauseAsync(string containerId, CancellationToken ct = default) =>
        Bounded(c => _client.Containers.UnpauseContainerAsync(containerId, c), "unpause", ct);

    public Task SetCpusAsync(string containerId, long nanoCpus, CancellationToken ct = default) =>
        Bounded(c => _client.Containers.UpdateContainerAsync(containerId, new ContainerUpdateParameters { NanoCPUs = nanoCpus }, c), "update", ct);

    public async Task RenameAsync(string containerId, string name, CancellationToken ct = default)
    {
        try
        {
            await Bounded(c => _client.Containers.RenameContainerAsync(containerId, new ContainerRenameParameters { NewName = name }, c), "rename", ct);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            throw new SandboxLaunchException($"container {name} already exists: a session is never launched twice", inner: e);
        }
    }
}
