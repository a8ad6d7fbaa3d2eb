using System.Collections.Concurrent;
using System.Diagnostics;
using AgentCluster.Grains.Sessions;

namespace AgentCluster.Proxy.Identity;

/// <summary>
/// Tells a session grain it is in use, at most once a second per session: idle timeouts are
/// counted in seconds, and a call per request would queue behind the session's own work.
/// </summary>
public sealed class ActivityTouches(IClusterClient cluster)
{
    private static readonly long Every = Stopwatch.Frequency;
    private readonly ConcurrentDictionary<string, long> _last = new(StringComparer.Ordinal);

    public void Touch(string sessionId)
    {
        var now = Stopwatch.GetTimestamp();
        var last = _last.GetOrAdd(sessionId, 0);
        if (last != 0 && now - last < Every || !_last.TryUpdate(sessionId, now, last))
            return;
        _ = cluster.GetGrain<ISessionGrain>(sessionId).Touch();
        if (_last.Count > 100_000)
            _last.Clear();
    }
}
