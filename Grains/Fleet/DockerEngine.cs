using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet;

/// <summary>
/// One Docker.DotNet client for one engine, kept for the life of the silo: its handler opens a
/// connection per request and never reuses one, so a client per call would only add set-up cost.
/// Every call is bounded twice: by the client's own timeout and by a <c>WaitAsync</c> of our own,
/// because the unix-socket connect and the TLS handshake ignore cancellation.
/// </summary>
public sealed partial class DockerEngine : IDockerEngine, IDisposable
{
    private static readonly System.Version ApiVersion = new(1, 41);

    private readonly DockerClient _client;
    private readonly DockerEndpoint _endpoint;
    private readonly FleetOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _networkLock = new();
    private Task? _network;
    private string? _gateway;

    public DockerEngine(DockerEndpoint endpoint, FleetOptions options, ILogger logger)
    {
        _endpoint = endpoint;
        _options = options;
        _logger = logger;
        _client = new DockerClientConfiguration(endpoint.Uri, new EngineCredentials(endpoint.TlsDir), options.CallTimeout)
            .CreateClient(ApiVersion);
    }

    public Task PingAsync(CancellationToken ct = default) =>
        Bounded(c => _client.System.PingAsync(c), "ping", _options.PingTimeout, ct);

    public async Task<bool> KillAsync(string containerId, CancellationToken ct = default)
    {
        try
        {
            await Bounded(c => _client.Containers.KillContainerAsync(containerId, new ContainerKillParameters { Signal = "SIGKILL" }, c), "kill", ct);
        }
        catch (DockerContainerNotFoundException)
        {
            return false;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // Not running, or paused: the forced remove below kills it all the same.
        }

        try
        {
            await RemoveAsync(containerId, ct);
        }
        catch (DockerContainerNotFoundException)
        {
            // Removed meanwhile by a concurrent kill.
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict && e.ResponseBody?.Contains("in progress", StringComparison.OrdinalIgnoreCase) == true)
        {
            // Another kill is removing it right now.
        }
        return true;
    }

    public async Task<IReadOnlyList<SandboxContainer>> ListSandboxesAsync(CancellationToken ct = default)
    {
        var filter = new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = new Dictionary<string, bool> { [SandboxLabels.Session] = true },
        };
        var listed = await Bounded(c => _client.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filter }, c), "list", ct);
        return [.. listed.Select(c => new SandboxContainer(
            c.ID,
            c.Labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(c.Labels),
            c.State ?? "",
            new DateTimeOffset(DateTime.SpecifyKind(c.Created, DateTimeKind.Utc)),
            // The API lists names with a leading slash.
            c.Names?.FirstOrDefault()?.TrimStart('/') ?? ""))];
    }

    public async Task<ContainerInspectResponse?> InspectAsync(string containerId, CancellationToken ct = default)
    {
        try
        {
            return await Bounded(c => _client.Containers.InspectContainerAsync(containerId, c), "inspect", ct);
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
    }

    public void Dispose() => _client.Dispose();

    private Task RemoveAsync(string idOrName, CancellationToken ct) =>
        Bounded(c => _client.Containers.RemoveContainerAsync(idOrName, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, c), "remove", ct);

    private Task Bounded(Func<CancellationToken, Task> call, string what, CancellationToken ct) =>
        Bounded(call, what, _options.CallTimeout, ct);

    private Task<T> Bounded<T>(Func<CancellationToken, Task<T>> call, string what, CancellationToken ct) =>
        Bounded(call, what, _options.CallTimeout, ct);

    private Task Bounded(Func<CancellationToken, Task> call, string what, TimeSpan timeout, CancellationToken ct) =>
        Bounded(async c => { await call(c); return true; }, what, timeout, ct);

    private async Task<T> Bounded<T>(Func<CancellationToken, Task<T>> call, string what, TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            return await call(cts.Token).WaitAsync(timeout, ct);
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw new TimeoutException($"docker {what} on {_endpoint} took longer than {timeout.TotalSeconds:0.#} s", e);
        }
    }
}
