using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Tenants;

namespace AgentCluster.Proxy.Audit;

/// <summary>
/// Counts the denials of callers nobody can be named for, per source address and reason, until
/// they are taken as one row per source: a flood of bad credentials is a count, not a row each.
/// </summary>
public sealed class DenialTally
{
    public const string Actor = "anonymous";

    // Past this many sources in one interval the rest are counted together, so memory stays bounded.
    private const int MaxSources = 10_000;
    private static readonly IPAddress Others = IPAddress.None;

    private ConcurrentDictionary<IPAddress, ConcurrentDictionary<string, int>> _counts = new();

    public void Count(IPAddress? source, string reason)
    {
        var key = source is null ? Others : source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source;
        if (_counts.Count >= MaxSources && !_counts.ContainsKey(key))
            key = Others;
        _counts.GetOrAdd(key, _ => new(StringComparer.Ordinal)).AddOrUpdate(Reason(reason), 1, (_, n) => n + 1);
    }

    /// <summary>The rows for everything counted since the last call, one per source; the counts start over.</summary>
    public IReadOnlyList<AuditEvent> Take(TimeSpan interval)
    {
        var counts = Interlocked.Exchange(ref _counts, new());
        return [.. counts.OrderBy(c => c.Key.ToString(), StringComparer.Ordinal).Select(c => Row(c.Key, c.Value, interval))];
    }

    private static AuditEvent Row(IPAddress source, ConcurrentDictionary<string, int> reasons, TimeSpan interval)
    {
        var shown = source.Equals(Others) ? "other" : source.ToString();
        var detail = AuditEvent.NoDetail
            .Add("source", shown)
            .Add("count", reasons.Values.Sum().ToString(CultureInfo.InvariantCulture))
            .Add("reasons", string.Join(",", reasons.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}")))
            .Add("intervalSeconds", interval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture));
        return new AuditEvent(SystemTenant.Name, Actor, AuditKinds.EgressDenied, "source " + shown, AuditOutcomes.Denied, "unauthenticated", detail);
    }

    /// <summary>Reasons are the proxy's own words, but a bad CONNECT's may quote the request: keep the row small.</summary>
    private static string Reason(string reason) => reason.Length <= 64 ? reason : reason[..64];
}
