using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Fleet.Hosts;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet;

public sealed partial class DockerHostGrain
{
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
        if (!_ledger.Listed)
            await CheckOnce();
        if (s.Health != HostHealth.Healthy)
            return LaunchResult.Refused(LaunchStatus.HostUnavailable, Name, $"Docker host {Name} is {s.Health}{(_health.LastError is null ? "" : ": " + _health.LastError)}");
        if (_ledger.Running >= s.Capacity)
            return LaunchResult.Refused(LaunchStatus.NoCapacity, Name, $"Docker host {Name} is at capacity ({_ledger.Running}/{s.Capacity})");

        if (!_ledger.BeginLaunch(spec.SessionId))
            return LaunchResult.Refused(LaunchStatus.Failed, Name, $"session {spec.SessionId} is already being launched on {Name}");
        try
        {
            if (_pool.Take(spec, _health.Generation) is { } warm && await Claim(warm, spec) is { } claimed)
                return claimed;

            var parameters = containerSpec.Build(spec, clock.GetUtcNow());
            if (spec.Proxy is { } proxy && await Engine.ProxyAddressAsync() is { } proxyAddress)
                parameters.Env = [.. parameters.Env, .. SandboxContainerSpec.ProxyEnv(proxy.ProxyUrl(proxyAddress, _options.ProxyPort))];
            var started = await Engine.LaunchAsync(parameters);
            _ledger.Track(new SandboxContainer(started.ContainerId, new Dictionary<string, string>(parameters.Labels), "running", clock.GetUtcNow()));
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
            _ledger.EndLaunch(spec.SessionId);
        }
    }

    /// <summary>
    /// Renames the taken container to the session's container name (the binding, kept by the
    /// engine), then unpauses it. Null when that failed for the container rather than for the
    /// session: the container is killed and the launch goes cold.
    /// </summary>
    private async Task<LaunchResult?> Claim(WarmPool.Warm warm, SandboxSpec spec)
    {
        // Bound before the first await: a reconcile that listed it idle must not take it for a stray.
        var binding = _pool.Bind(warm, spec, _ledger.NextEpoch());
        string? credentialHash = null;
        try
        {
            // Bound to this session before its sandbox runs: never to two, never to another tenant's.
            if (spec.Proxy is not null && warm.Credential is { } credential)
                credentialHash = await GrainFactory.GetGrain<IPooledCredentialGrain>(credential).Bind(spec.SessionId, spec.Tenant)
                    ?? throw new InvalidOperationException($"the pooled credential {credential} of {warm.Id} could not be bound");
            await Engine.RenameAsync(warm.Id, SandboxContainerSpec.ContainerName(spec.SessionId));
            await Engine.UnpauseAsync(warm.Id);
        }
        catch (Exception e)
        {
            RefillSoon();
            await Discard(warm.Id, "its claim failed");
            // The name is taken: the session already has a container, and a cold launch would fail the same way.
            if (e is SandboxLaunchException)
                return LaunchResult.Refused(LaunchStatus.Failed, Name, e.Message);
            logger.LogWarning(e, "Claim of pooled {Container} for session {Session} on {Host} failed; creating one instead", warm.Id, spec.SessionId, Name);
            return null;
        }

        // Only now: the refill's creates would compete with the claim's own calls to the engine.
        RefillSoon();
        _ledger.Track(Effective(warm.Container with { State = "running" }));
        ScheduleDeadlineKill();
        logger.LogInformation("Claimed pooled {Container} for session {Session} (tenant {Tenant}) on {Host}, deadline {Deadline:O}",
            warm.Id, binding.Session, binding.Tenant, Name, binding.Deadline);
        return LaunchResult.Started(Name, warm.Id, warm.IpAddress) with
        {
            Pooled = true, ProxyCredentialHash = credentialHash, PooledCredential = credentialHash is null ? null : warm.Credential,
        };
    }

    public async Task<bool> Kill(string containerId)
    {
        if (!state.State.Registered)
            throw new InvalidOperationException($"Docker host {Name} is not registered");
        if (!_ledger.Knows(containerId))
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

    public async Task<bool> Extend(string containerId, DateTimeOffset deadline)
    {
        // Stored even for a container not listed yet (a fresh activation): the next listing applies it.
        state.State.Extensions[containerId] = deadline;
        await Persist();
        _pool.Extend(containerId, deadline);
        if (!_ledger.Extend(containerId, Extended))
            return false;
        ScheduleDeadlineKill();
        return true;
    }

    private Task<bool> KillOnce(IDockerEngine engine, string containerId) => _ledger.Kill(containerId, id => engine.KillAsync(id));
}
