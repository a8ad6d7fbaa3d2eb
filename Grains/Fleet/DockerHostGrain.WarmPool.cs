using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Fleet.Hosts;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet;

/// <summary>The warm pool's Orleans and engine side: a timer tops each pool up and replaces what went stale.</summary>
public sealed partial class DockerHostGrain
{
    private IGrainTimer? _refillTimer;
    private bool _refilling;

    private bool CanWarm => state.State is { Registered: true, Health: HostHealth.Healthy, Draining: false } && _ledger.Listed;

    public Task<IReadOnlyList<WarmSandbox>> GetWarmPool() => Task.FromResult(_pool.Sandboxes);

    private void StartWarmPool() =>
        _refillTimer ??= _options.WarmPool.Pools.Count == 0 ? null : Timer(Refill, _options.WarmPool.RefillInterval, _options.WarmPool.RefillInterval);

    private void RefillSoon() => _refillTimer?.Change(TimeSpan.Zero, _options.WarmPool.RefillInterval);

    /// <summary>The timer's work: replace what went stale, then make what is missing, a few at a time.</summary>
    private async Task Refill()
    {
        if (_refilling)
            return;
        _refilling = true;
        try
        {
            await Recycle();
            while (CanWarm && _pool.NextToWarm(_pool.Pools(state.State), state.State.Capacity - _ledger.Running) is { Count: > 0 } batch)
            {
                var made = await Task.WhenAll(batch.Select(MakeWarm));
                // A missing image or a failing engine waits for the next tick rather than spinning.
                if (made.Contains(false))
                    break;
            }
        }
        finally
        {
            _refilling = false;
        }
    }

    /// <summary>Idle too long, or no longer wanted here: killed. From an engine the host has left: dropped.</summary>
    private async Task Recycle()
    {
        // An engine out of reach cannot kill: the pool waits for it as it is.
        if (state.State.Health != HostHealth.Healthy)
            return;
        var stale = _pool.TakeStale(_health.Generation, CanWarm, _pool.Pools(state.State).ToHashSet());
        await Task.WhenAll(stale.Select(w => Discard(w.Id, "recycled")));
    }

    private async Task<bool> MakeWarm(WarmPoolEntry pool)
    {
        var poolId = _pool.BeginMaking(pool);
        var (generation, engine) = (_health.Generation, Engine);
        try
        {
            var parameters = containerSpec.BuildPooled(pool, poolId, Name, clock.GetUtcNow());
            var credential = await IssueCredential(engine, pool, parameters);
            var started = await engine.LaunchAsync(parameters);
            var container = new SandboxContainer(started.ContainerId, new Dictionary<string, string>(parameters.Labels), "paused", clock.GetUtcNow(), parameters.Name);
            try
            {
                await engine.PauseAsync(started.ContainerId);
            }
            catch
            {
                await engine.KillAsync(started.ContainerId);
                throw;
            }

            if (generation != _health.Generation)
            {
                // Moved to another endpoint meanwhile: this one belongs to an engine the host has left.
                await engine.KillAsync(started.ContainerId);
                return true;
            }
            _pool.Add(new WarmPool.Warm(started.IpAddress, pool, container, generation, _ledger.Track(container)) { Credential = credential });
            return true;
        }
        catch (Exception e)
        {
            // Once per run of failures: the next tick tries again, and an absent image fails every second.
            if (_pool.Failed())
                logger.LogWarning(e, "Could not add a {Image} container to the warm pool of {Host}", pool.Image, Name);
            return false;
        }
        finally
        {
            _pool.EndMaking(pool, poolId);
        }
    }

    /// <summary>
    /// Where sandboxes have a proxy: the container's own egress credential, made before the
    /// container, since a paused container's environment cannot change. It opens nothing until a
    /// claim binds it, and dies with the container's deadline label.
    /// </summary>
    private async Task<string?> IssueCredential(IDockerEngine engine, WarmPoolEntry pool, CreateContainerParameters parameters)
    {
        if (await engine.ProxyAddressAsync() is not { } address)
            return null;
        var (id, secret) = (PooledCredentials.NewId(), ProxyCredentials.NewSecret());
        if (!await GrainFactory.GetGrain<IPooledCredentialGrain>(id).Issue(ProxyCredentials.Hash(secret), clock.GetUtcNow() + pool.Lifetime))
            throw new InvalidOperationException($"pooled credential {id} is taken");
        parameters.Env = [.. parameters.Env, .. SandboxContainerSpec.ProxyEnv(new ProxyCredential(id, secret).ProxyUrl(address, _options.ProxyPort))];
        return id;
    }

    private async Task Discard(string containerId, string why)
    {
        try
        {
            await KillOnce(Engine, containerId);
            Forget(containerId);
        }
        catch (Exception e)
        {
            // Idle and not ours any more, or bound to a session that does not claim it: the reconcile kills it.
            logger.LogWarning(e, "Could not kill pool container {Container} on {Host} ({Why})", containerId, Name, why);
        }
    }
}
