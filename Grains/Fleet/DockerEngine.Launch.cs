using System.Net;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet;

public sealed partial class DockerEngine
{
    public async Task<StartedSandbox> LaunchAsync(CreateContainerParameters parameters, CancellationToken ct = default)
    {
        await CachedNetworkAsync(ct);
        await CheckImageAsync(parameters.Image, ct);

        string id;
        try
        {
            id = (await Bounded(c => _client.Containers.CreateContainerAsync(parameters, c), "create", ct)).ID;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            throw new SandboxLaunchException($"container {parameters.Name} already exists: a session is never launched twice", inner: e);
        }
        catch (Exception e)
        {
            // A create that timed out may still have happened: remove it by name.
            if (parameters.Name is { Length: > 0 } name)
                await RemoveQuietlyAsync(name);
            if (e is DockerApiException { StatusCode: HttpStatusCode.NotFound } && Reason(e).Contains("network", StringComparison.OrdinalIgnoreCase))
                ForgetNetwork();
            throw new SandboxLaunchException($"create failed: {Reason(e)}", inner: e);
        }

        try
        {
            await Bounded(c => _client.Containers.StartContainerAsync(id, new ContainerStartParameters(), c), "start", ct);
            var inspect = await Bounded(c => _client.Containers.InspectContainerAsync(id, c), "inspect", ct);
            return new StartedSandbox(id, Verify(inspect));
        }
        catch (Exception e)
        {
            await RemoveQuietlyAsync(id);
            throw e as SandboxLaunchException ?? new SandboxLaunchException($"start failed: {Reason(e)}", inner: e);
        }
    }

    private async Task CheckImageAsync(string image, CancellationToken ct)
    {
        ImageInspectResponse inspect;
        try
        {
            inspect = await Bounded(c => _client.Images.InspectImageAsync(image, c), "image inspect", ct);
        }
        catch (DockerImageNotFoundException e)
        {
            throw new SandboxLaunchException($"image {image} is not on host {_endpoint}", imageNotFound: true, inner: e);
        }

        // An image VOLUME gives every container an anonymous volume: a mount the sandbox must not have.
        if (inspect.Config?.Volumes is { Count: > 0 } volumes)
            throw new SandboxLaunchException($"image {image} declares volumes ({string.Join(", ", volumes.Keys)}); sandboxes have none");
    }

    private string Verify(ContainerInspectResponse inspect)
    {
        if (inspect.Mounts is { Count: > 0 } mounts)
            throw new SandboxLaunchException($"container has mounts ({string.Join(", ", mounts.Select(m => m.Destination))}); sandboxes have none");
        if (inspect.State is not { Running: true })
            throw new SandboxLaunchException($"container is {inspect.State?.Status} right after start (exit code {inspect.State?.ExitCode}) {inspect.State?.Error}".TrimEnd());
        if (inspect.NetworkSettings?.Networks is not { } networks
            || !networks.TryGetValue(_options.NetworkName, out var endpoint)
            || endpoint.IPAddress is not { Length: > 0 } ip)
            throw new SandboxLaunchException($"container has no address on network {_options.NetworkName}");
        return ip;
    }

    private async Task RemoveQuietlyAsync(string idOrName)
    {
        try
        {
            await RemoveAsync(idOrName, CancellationToken.None);
        }
        catch (DockerContainerNotFoundException)
        {
        }
        catch (Exception e)
        {
            // The labels are on the container, so the next reconcile will find it and try again.
            _logger.LogWarning(e, "Could not remove container {Container} on {Endpoint} after a failed launch", idOrName, _endpoint);
        }
    }

    /// <summary>The daemon's own message (its JSON body), not Docker.DotNet's wrapping of it.</summary>
    internal static string Reason(Exception e)
    {
        if (e is DockerApiException { ResponseBody: { Length: > 0 } body })
        {
            try
            {
                if (JsonDocument.Parse(body).RootElement.TryGetProperty("message", out var message))
                    return message.GetString() ?? body;
            }
            catch (JsonException)
            {
            }
            return body.Trim();
        }
        return e.Message;
    }
}
