using Orleans.Concurrency;
using Orleans.Serialization;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Egress;

[GenerateSerializer]
public sealed class EgressProxyRegistryState
{
    /// <summary>Each proxy's callback reference, in Orleans' own encoding: a fail-over must not forget a proxy that caches.</summary>
    [Id(0)] public Dictionary<string, byte[]> Proxies { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Reentrant: a fan-out waiting on a slow proxy must not hold up other sessions' fan-outs or a
/// proxy's lease refresh. The subscriber list is durable, so that a registry re-activated after
/// its silo died still reaches every proxy that may hold a cached answer.
/// </summary>
[Reentrant]
public sealed class EgressProxyRegistryGrain(
    [PersistentState("egressproxies", StorageNames.Default)] IPersistentState<EgressProxyRegistryState> state,
    Serializer serializer, TimeProvider clock, ILogger<EgressProxyRegistryGrain> logger)
    : Grain, IEgressProxyRegistryGrain
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, (IEgressProxy Proxy, DateTimeOffset Seen)> _live = new(StringComparer.Ordinal);
    private readonly HashSet<string> _missed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _write = new(1, 1);

    public override Task OnActivateAsync(CancellationToken ct)
    {
        // Whoever was known before is given a full lease to come back before it is dropped.
        foreach (var (id, reference) in state.State.Proxies)
        {
            try
            {
                _live[id] = (serializer.Deserialize<IEgressProxy>(reference)!, clock.GetUtcNow());
            }
            catch (Exception e)
            {
                // Unreadable (written by another version): that proxy is reached again once it renews.
                logger.LogWarning(e, "The stored reference of proxy {Proxy} could not be read", id);
            }
        }
        return Task.CompletedTask;
    }

    public async Task<EgressLease> Subscribe(string proxyId, IEgressProxy proxy)
    {
        _live[proxyId] = (proxy, clock.GetUtcNow());
        var reference = serializer.SerializeToArray(proxy);
        if (!state.State.Proxies.TryGetValue(proxyId, out var known) || !known.AsSpan().SequenceEqual(reference))
        {
            state.State.Proxies[proxyId] = reference;
            DropLapsed();
            await Save();
        }
        // A proxy that missed a Forget must not trust anything it cached before it.
        return new EgressLease(Lease) { ForgetAll = _missed.Remove(proxyId) };
    }

    public async Task Unsubscribe(string proxyId)
    {
        _live.Remove(proxyId);
        _missed.Remove(proxyId);
        if (state.State.Proxies.Remove(proxyId))
            await Save();
    }

    public async Task Forget(string sessionId)
    {
        if (DropLapsed())
            await Save();
        // One that already missed a notice drops everything on its next refresh: waiting on it again gains nothing.
        await Task.WhenAll(_live.Where(p => !_missed.Contains(p.Key)).Select(p => Tell(p.Key, p.Value.Proxy, sessionId)));
    }

    private async Task Tell(string proxyId, IEgressProxy proxy, string sessionId)
    {
        try
        {
            await proxy.Forget(sessionId).WaitAsync(AnswerWithin);
        }
        catch (Exception e)
        {
            // Its next refresh tells it to drop everything; until then its lease bounds what it trusts.
            _missed.Add(proxyId);
            logger.LogWarning(e, "Proxy {Proxy} did not confirm forgetting session {Session}", proxyId, sessionId);
        }
    }

    /// <summary>Interleaved calls must not write at once: the second write would carry a stale ETag.</summary>
    private async Task Save()
    {
        await _write.WaitAsync();
        try
        {
            await state.WriteStateAsync();
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>A proxy unseen for three leases has stopped (its own cache stopped trusting itself long ago).</summary>
    private bool DropLapsed()
    {
        var now = clock.GetUtcNow();
        var lapsed = _live.Where(p => now - p.Value.Seen > 3 * Lease).Select(p => p.Key).ToList();
        foreach (var id in lapsed)
        {
            _live.Remove(id);
            _missed.Remove(id);
            state.State.Proxies.Remove(id);
        }
        return lapsed.Count > 0;
    }
}
