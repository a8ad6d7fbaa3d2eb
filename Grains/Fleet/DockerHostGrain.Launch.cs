using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet;

public sealed partial class DockerHostGrain
{
    /// <summary>The sandboxes this host counts, by container id; rebuilt by every reconcile.</summary>
    private readonly Dictionary<string, Tracked> _known = new(StringComparer.Ordinal);

    /// <summary>Ids forgotten since a reconcile's list began, which that list must not bring back.</summary>
    private readonly Dictionary<string, long> _gone = new(StringComparer.Ordinal);

    private long _epoch;

    /// <summary>Sessions whose launch is under way here, each holding a slot until it returns.</summary>
    private readonly HashSet<string> _launching = new(StringComparer.Ordinal);

    /// <summary>
    /// Sessions' sandboxes, here or on their way; idle pool containers are not sessions. A container
    /// a reconcile lists while its launch is still under way is that launch's slot, not another.
    /// </summary>
    private int Running =>
        _known.Values.Count(t => !t.Container.IsIdlePool && !(t.Container.SessionId is { } id && _launching.Contains(id))) + _launching.Count;

    public async Task<LaunchResult> Launch(SandboxSpec spec)
    {
        var s = state.State;
        if (!s.Registered)
            return LaunchResult.Refused(LaunchStatus.HostUnavailable, Name, $"Docker host {Name} is not registered");
        if (s.Draining)
            return LaunchResult.Refused(LaunchStatus.HostUnavailable, Name, $"Docker host {Name} is draining");
        if (containerSpec.Validate(spec, clock.GetUtcNow()) is { Count: > 0 } errors)
            return LaunchResult.Refused(LaunchStatus.Invalid, Name, new InvalidSandboxSpecException(errors).Message);

        // A fresh activation has not counted the engine's containers yet: count before promising a slot.
        if (!_listed)
            await CheckOnce();
        if (s.Health != HostHealth.Healthy)
            return LaunchResult.Refused(LaunchStatus.HostUnavailable, Name, $"Docker host {Name} is {s.Health}{(_lastError is null ? "" : ": " + _lastError)}");
        if (Running >= s.Capacity)
            return LaunchResult.Refused(LaunchStatus.NoCapacity, Name, $"Docker host {Name} is at capacity ({Running}/{s.Capacity})");

        if (!_launching.Add(spec.SessionId))
            return LaunchResult.Refused(LaunchStatus.Failed, Name, $"session {spec.SessionId} is already being launched on {Name}");
        try
        {
            if (TakeWarm(spec) is { } warm && await Claim(warm, spec) is { } claimed)
                return claimed;

            var parameters = containerSpec.Build(spec, clock.GetUtcNow());
            if (spec.Proxy is { } proxy && await Engine.ProxyAddressAsync() is { } proxyAddress)
                parameters.Env = [.. parameters.Env, .. SandboxContainerSpec.ProxyEnv(proxy.ProxyUrl(proxyAddress, _options.ProxyPort))];
            var started = await Engine.LaunchAsync(parameters);
            Track(new SandboxContainer(started.ContainerId, new Dictionary<string, string>(parameters.Labels), "running", clock.GetUtcNow()));
            ScheduleDeadlineKill();
            logger.LogInformation("Launched {Container} for session {Session} (tenant {Tenant}) on {Host}, deadline {Deadline:O}",
                started.ContainerId, spec.SessionId, spec.Tenant, Name, spec.Deadline);
            return LaunchResult.Started(Name, started.ContainerId, started.IpAddress);
        }
        catch (SandboxLaunchException e) when (e.ImageNotFound)
        {
            return LaunchResult.Refused(LaunchStatus.ImageNotFound, Name, e.Message);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Launch for session {Session} on {Host} failed", spec.SessionId, Name);
            return LaunchResult.Refused(LaunchStatus.Failed, Name, e.Message);
        }
        finally
        {
            _launching.Remove(spec.SessionId);
        }
    }

    public async Task<bool> Kill(string containerId)
    {
        if (!state.State.Registered)
            throw new InvalidOperationException($"Docker host {Name} is not registered");
        if (!_known.ContainsKey(containerId))
        {
            // Not one this host counts: make sure it is a sandbox before killing anything.
            if (await Engine.InspectAsync(containerId) is not { } inspect)
                return false;
            if (inspect.Config?.Labels is not { } labels || !labels.ContainsKey(SandboxLabels.Session))
                throw new InvalidOperationException($"container {containerId} on Docker host {Name} is not a sandbox; refusing to kill it");
            containerId = inspect.ID;
        }

        var existed = await KillOnce(Engine, containerId);
        Forget(containerId);
        logger.LogInformation("Killed {Container} on {Host} ({Outcome})", containerId, Name, existed ? "removed" : "already gone");
        return existed;
    }

    private void Track(SandboxContainer container) => _known[container.Id] = new Tracked(container, ++_epoch);

    private void Forget(string containerId)
    {
        _known.Remove(containerId);
        _retryKillAt.Remove(containerId);
        state.State.Extensions.Remove(containerId);
        ForgetWarm(containerId);
        _gone[containerId] = ++_epoch;
    }

    private sealed record Tracked(SandboxContainer Container, long Epoch);
}
