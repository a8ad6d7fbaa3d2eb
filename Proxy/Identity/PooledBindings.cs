using System.Collections.Concurrent;
using AgentCluster.Grains.Egress;

namespace AgentCluster.Proxy.Identity;

/// <summary>
/// Which session a warm-pool container's credential is bound to. A binding never changes once
/// made, so a found one is kept (the session's own answer still decides, lease by lease);
/// "not bound yet" is asked again every time, since a claim may bind it at any moment.
/// </summary>
public sealed class PooledBindings(IClusterClient cluster)
{
    private const int Kept = 10_000;

    private readonly ConcurrentDictionary<string, string> _bound = new(StringComparer.Ordinal);

    /// <summary>The bound session, or null; the cluster is asked only when <paramref name="mayAsk"/> agrees.</summary>
    public async ValueTask<string?> SessionOf(string credentialId, Func<bool> mayAsk)
    {
        if (_bound.TryGetValue(credentialId, out var session))
            return session;
        if (!mayAsk())
            return null;
        session = await cluster.GetGrain<IPooledCredentialGrain>(credentialId).BoundSession();
        if (session is not null)
        {
            // Bounded: forgetting them all costs one grain call per credential still in use.
            if (_bound.Count >= Kept)
                _bound.Clear();
            _bound[credentialId] = session;
        }
        return session;
    }
}
