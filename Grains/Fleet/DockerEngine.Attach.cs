using Docker.DotNet;
using Docker.DotNet.Models;

namespace AgentCluster.Grains.Fleet;

public sealed partial class DockerEngine
{
    /// <summary>
    /// Attaches to a running container's stdin, stdout and stderr over the engine connection
    /// (the hijacked HTTP connection of <c>POST /containers/{id}/attach</c>): nothing is opened on
    /// the container's network. Only the attach itself is bounded by the call timeout; the stream
    /// lives until it is disposed or the engine drops it. The container must have been created
    /// with OpenStdin and without a TTY; closing the stream leaves its stdin open (StdinOnce off).
    /// </summary>
    public async Task<Stream> AttachAsync(string containerId, CancellationToken ct = default)
    {
        var parameters = new ContainerAttachParameters { Stream = true, Stdin = true, Stdout = true, Stderr = true };
        try
        {
            var stream = await Bounded(c => _client.Containers.AttachContainerAsync(containerId, tty: false, parameters, c), "attach", ct);
            return new AttachedStream(stream, _logger, containerId);
        }
        catch (DockerContainerNotFoundException e)
        {
            throw new InvalidOperationException($"container {containerId} is not on host {_endpoint}", e);
        }
    }
}
