using System.Threading.RateLimiting;
using AgentCluster.Proxy.Egress;

namespace AgentCluster.Proxy.Limits;

/// <summary>Per-session caps on requests in flight and on request rate. Nothing queues: over the cap is 429 at once.</summary>
public sealed class SessionLimits(EgressOptions options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _rate = PartitionedRateLimiter.Create<string, string>(session =>
        RateLimitPartition.GetTokenBucketLimiter(session, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.RequestBurst,
            TokensPerPeriod = options.RequestsPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    private readonly PartitionedRateLimiter<string> _concurrency = PartitionedRateLimiter.Create<string, string>(session =>
        RateLimitPartition.GetConcurrencyLimiter(session, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = options.MaxConcurrentPerSession,
            QueueLimit = 0,
        }));

    /// <summary>A lease to dispose when the request ends; null with the reason when over a cap.</summary>
    public IDisposable? TryEnter(string session, out string? refusal)
    {
        using (var rate = _rate.AttemptAcquire(session))
        {
            if (!rate.IsAcquired)
            {
                refusal = "rate-limit";
                return null;
            }
        }
        var slot = _concurrency.AttemptAcquire(session);
        if (!slot.IsAcquired)
        {
            slot.Dispose();
            refusal = "concurrency-limit";
            return null;
        }
        refusal = null;
        return slot;
    }

    public void Dispose()
    {
        _rate.Dispose();
        _concurrency.Dispose();
    }
}
