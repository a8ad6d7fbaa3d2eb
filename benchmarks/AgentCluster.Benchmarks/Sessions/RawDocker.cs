using System.Diagnostics;
using AgentCluster.Grains.Fleet;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace AgentCluster.Benchmarks.Sessions;

/// <summary>
/// The baseline: `docker create` + `docker start` through Docker.DotNet (the client the product
/// uses, so connection set-up costs the same), with the very parameters the product builds for a
/// session (hardening, limits, internal network) minus the labels, so the fleet never sees them.
/// What it leaves out is exactly the product's own work: grains, state, audit, checks.
/// </summary>
internal sealed class RawDocker(IDockerClient client, SandboxContainerSpec spec, string image)
{
    public async Task<TimeSpan> CreateAndStartAsync()
    {
        var parameters = spec.Build(SandboxSpec.Create($"raw-{Guid.NewGuid():N}", "bench", image, DateTimeOffset.UtcNow.AddMinutes(5)), DateTimeOffset.UtcNow);
        parameters.Labels = null;
        var clock = Stopwatch.StartNew();
        var created = await client.Containers.CreateContainerAsync(parameters);
        await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        var elapsed = clock.Elapsed;
        await client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
        return elapsed;
    }
}
