using System.Net;
using System.Threading.RateLimiting;
using AgentCluster.Proxy.Egress;

namespace AgentCluster.Proxy.Limits;

/// <summary>
/// Per source address, before anything about the caller is known: a cap on every request, and a
/// tighter one on failed authentications. When a source has used up its failures, a credential
/// the proxy does not already hold a live answer for is refused without asking the cluster, so a
/// flood of made-up credentials costs no grain activation and no storage read; a session whose
/// answer is held goes on working. Nothing queues: over a cap is 429 at once.
/// </summary>
public sealed class SourceLimits(EgressOptions options) : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _requests = Bucket(options.SourceRequestsPerSecond, options.SourceRequestBurst);
    private readonly PartitionedRateLimiter<IPAddress> _failures = Bucket(options.SourceFailuresPerSecond, options.SourceFailureBurst);

    /// <summary>Takes one of the source's requests; false when it is over its rate.</summary>
    public bool TryRequest(IPAddress? source)
    {
        using var lease = _requests.AttemptAcquire(Key(source));
        return lease.IsAcquired;
    }

    /// <summary>Whether the cluster may be asked about this source's credential: it has a whole failure left.</summary>
    /// <remarks>
    /// Not a zero-permit acquire: the bucket refills in fractions (every 100 ms), and a zero-permit
    /// acquire succeeds on any fraction, while <see cref="Failed"/> needs a whole one to take: a
    /// source that kept failing would be asked about again and again between refills.
    /// </remarks>
    public bool MayAsk(IPAddress? source) => _failures.GetStatistics(Key(source))?.CurrentAvailablePermits >= 1;

    public void Failed(IPAddress? source) => _failures.AttemptAcquire(Key(source)).Dispose();

    public void Dispose()
    {
        _requests.Dispose();
        _failures.Dispose();
    }

    private static IPAddress Key(IPAddress? source) =>
        source is null ? IPAddress.None : source.IsIPv4MappedToIPv6 ? source.MapToIPv4() : source;

    private static PartitionedRateLimiter<IPAddress> Bucket(int perSecond, int burst) =>
        PartitionedRateLimiter.Create<IPAddress, IPAddress>(source => RateLimitPartition.GetTokenBucketLimiter(source, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = perSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
}
