using System.Security.Cryptography;
using AgentCluster.Grains.Egress;
using AgentCluster.Proxy.Egress;

namespace AgentCluster.Proxy.Leases;

/// <summary>
/// This proxy, as the cluster calls it back. It keeps a lease with the registry and refreshes it
/// well before it ends; a proxy cut off from the cluster stops trusting its cache when the lease
/// it last got runs out.
/// </summary>
public sealed class ProxyRegistration(
    IClusterClient cluster, LeasedAnswers answers, EgressOptions options, TimeProvider clock, ILogger<ProxyRegistration> logger)
    : BackgroundService, IEgressProxy
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    public string ProxyId { get; } = "prx_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public Task Forget(string sessionId)
    {
        answers.Forget(sessionId);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var self = cluster.CreateObjectReference<IEgressProxy>(this);
        var registry = cluster.GetGrain<IEgressProxyRegistryGrain>(IEgressProxyRegistryGrain.Key);
        var leaseEnds = DateTimeOffset.MinValue;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var asked = clock.GetUtcNow();
                TimeSpan next;
                try
                {
                    var lease = await registry.Subscribe(ProxyId, self);
                    if (lease.ForgetAll)
                    {
                        logger.LogWarning("Proxy {Proxy} missed a notice from the cluster: dropping every cached answer", ProxyId);
                        answers.ForgetAll();
                    }
                    if (asked >= leaseEnds)
                    {
                        logger.LogInformation("Proxy {Proxy} joined the cluster's egress registry: grain answers are reused for up to {Ttl}",
                            ProxyId, options.AnswerCacheTtl);
                    }
                    leaseEnds = asked + lease.Length;
                    answers.Lease(leaseEnds);
                    next = lease.Length / 3;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Proxy {Proxy} could not renew its lease with the cluster: {Reason}", ProxyId, e.Message);
                    next = RetryAfter;
                }
                answers.Sweep();
                await Task.Delay(next, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            answers.Lease(DateTimeOffset.MinValue);
            try
            {
                await registry.Unsubscribe(ProxyId).WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogInformation("Proxy {Proxy} left without unsubscribing ({Reason}); the registry drops it when its lease lapses", ProxyId, e.Message);
            }
            cluster.DeleteObjectReference<IEgressProxy>(self);
        }
    }
}
