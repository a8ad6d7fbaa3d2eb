using Docker.DotNet.Models;

namespace AgentCluster.Grains.Fleet;

/// <summary>The one call only a host's canary makes.</summary>
public sealed partial class DockerEngine
{
    public async Task<string> RunToEndAsync(CreateContainerParameters parameters, TimeSpan limit, CancellationToken ct = default)
    {
        await CachedNetworkAsync(ct);
        await CheckImageAsync(parameters.Image, ct);
        // One left behind by a silo that died during its run would take the name.
        await RemoveQuietlyAsync(parameters.Name);
        var id = (await Bounded(c => _client.Containers.CreateContainerAsync(parameters, c), "create", ct)).ID;
        try
        {
            await Bounded(c => _client.Containers.StartContainerAsync(id, new ContainerStartParameters(), c), "start", ct);
            await Bounded(c => _client.Containers.WaitContainerAsync(id, c), "wait", limit, ct);
            using var logs = await Bounded(c => _client.Containers.GetContainerLogsAsync(
                id, false, new ContainerLogsParameters { ShowStdout = true, ShowStderr = true }, c), "logs", ct);
            var (stdout, stderr) = await logs.ReadOutputToEndAsync(ct);
            return stdout + stderr;
        }
        finally
        {
            await RemoveQuietlyAsync(id);
        }
    }
}
