using System.Collections.Concurrent;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace AgentCluster.Benchmarks.Sessions;

/// <summary>
/// When each container got its SIGKILL (the `kill` event), died (its processes are gone: `die`)
/// and was removed (`destroy`), as the engine itself timestamps them (nanoseconds, the machine's clock), so no
/// polling interval blurs the kill latency.
/// </summary>
internal sealed class EngineEvents : IProgress<Message>, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _signalled = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _died = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _destroyed = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watch;

    private EngineEvents(IDockerClient client)
    {
        var parameters = new ContainerEventsParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["type"] = new Dictionary<string, bool> { ["container"] = true },
                ["event"] = new Dictionary<string, bool> { ["kill"] = true, ["die"] = true, ["destroy"] = true },
            },
        };
        _watch = client.System.MonitorEventsAsync(parameters, this, _stop.Token);
    }

    /// <summary>Starts watching, and returns once the stream is known to deliver (a probe container's events came through).</summary>
    public static async Task<EngineEvents> StartAsync(IDockerClient client, string image)
    {
        var events = new EngineEvents(client);
        var probe = await client.Containers.CreateContainerAsync(new CreateContainerParameters { Image = image, HostConfig = new HostConfig { NetworkMode = "none" } });
        await client.Containers.RemoveContainerAsync(probe.ID, new ContainerRemoveParameters { Force = true });
        var until = DateTime.UtcNow.AddSeconds(10);
        while (events.Destroyed(probe.ID) is null)
        {
            if (DateTime.UtcNow > until || events._watch.IsFaulted)
                throw new InvalidOperationException("the engine's event stream delivers nothing", events._watch.Exception);
            await Task.Delay(20);
        }
        return events;
    }

    public DateTimeOffset? Signalled(string id) => _signalled.TryGetValue(id, out var at) ? at : null;

    public DateTimeOffset? Died(string id) => _died.TryGetValue(id, out var at) ? at : null;

    public DateTimeOffset? Destroyed(string id) => _destroyed.TryGetValue(id, out var at) ? at : null;

    public void Report(Message value)
    {
        var id = value.Actor?.ID ?? value.ID;
        if (id is null)
            return;
        var at = DateTimeOffset.UnixEpoch.AddTicks(value.TimeNano / 100);
        switch (value.Action)
        {
            case "kill": _signalled.TryAdd(id, at); break;
            case "die": _died.TryAdd(id, at); break;
            case "destroy": _destroyed.TryAdd(id, at); break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _watch;
        }
        catch (Exception)
        {
            // Cancelled: the end of the watch.
        }
        _stop.Dispose();
    }
}
