using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet;

/// <summary>The warm pool's background work: top each pool up, replace what went stale.</summary>
public sealed partial class DockerHostGrain
{
    /// <summary>The timer's work: replace what went stale, then make what is missing, a few at a time.</summary>
    private async Task Refill()
    {
        if (_refilling)
            return;
        _refilling = true;
        try
        {
            await Recycle();
            while (CanWarm && NextToWarm() is { Count: > 0 } batch)
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
        var now = clock.GetUtcNow();
        var pools = Pools().ToHashSet();
        _warm.RemoveAll(w => w.Generation != _generation);
        var stale = _warm.Where(w => !CanWarm || !pools.Contains(w.Entry) || now - w.Created >= w.Entry.IdleTtl).ToList();
        _warm.RemoveAll(stale.Contains);
        await Task.WhenAll(stale.Select(w => Discard(w.Id, "recycled")));
    }

    private IEnumerable<WarmPoolEntry> Pools() => _options.WarmPool.Pools.Where(p => p.Size > 0 && p.Serves(state.State));

    /// <summary>
    /// The pools to add one container to, at most CreatesAtOnce in flight. Capacity counts
    /// sessions; the pool fills only the slots sessions leave free, and never pushes one out.
    /// </summary>
    private List<WarmPoolEntry> NextToWarm()
    {
        var slots = Math.Min(_options.WarmPool.CreatesAtOnce - Warming, state.State.Capacity - Running - _warm.Count - Warming);
        var next = new List<WarmPoolEntry>();
        foreach (var pool in Pools())
        {
            var missing = pool.Size - _warm.Count(w => w.Entry == pool) - _warming.GetValueOrDefault(pool);
            for (var i = 0; i < missing && next.Count < slots; i++)
                next.Add(pool);
        }
        return next;
    }

    private async Task<bool> MakeWarm(WarmPoolEntry pool)
    {
        _warming[pool] = _warming.GetValueOrDefault(pool) + 1;
        var (generation, engine) = (_generation, Engine);
        var poolId = "pool-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        _making.Add(poolId);
        try
        {
            var parameters = containerSpec.BuildPooled(pool, poolId, Name, clock.GetUtcNow());
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

            if (generation != _generation)
            {
                // Moved to another endpoint meanwhile: this one belongs to an engine the host has left.
                await engine.KillAsync(started.ContainerId);
                return true;
            }
            Track(container);
            _warm.Add(new Warm(started.IpAddress, pool, container, generation, _epoch));
            _warmFailing = false;
            return true;
        }
        catch (Exception e)
        {
            // Once per run of failures: the next tick tries again, and an absent image fails every second.
            if (!_warmFailing)
                logger.LogWarning(e, "Could not add a {Image} container to the warm pool of {Host}", pool.Image, Name);
            _warmFailing = true;
            return false;
        }
        finally
        {
            _warming[pool]--;
            _making.Remove(poolId);
        }
    }
}
