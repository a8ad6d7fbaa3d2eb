namespace AgentCluster.Grains.Egress;

/// <summary>
/// Every running proxy (one grain, key <see cref="Key"/>), so that a session that is killed or
/// changes its allowlist or grants reaches each proxy's cache before the change is acknowledged.
/// </summary>
[Alias("AgentCluster.Grains.Egress.IEgressProxyRegistryGrain")]
public interface IEgressProxyRegistryGrain : IGrainWithStringKey
{
    public const string Key = "default";

    /// <summary>
    /// Adds or refreshes a proxy. The proxy may use its cache for <see cref="EgressLease.Length"/>
    /// from the call; a proxy that stops refreshing is forgotten after a few leases.
    /// </summary>
    [Alias("Subscribe")]
    Task<EgressLease> Subscribe(string proxyId, IEgressProxy proxy);

    [Alias("Unsubscribe")]
    Task Unsubscribe(string proxyId);

    /// <summary>Tells every proxy to drop what it cached about the session; returns once each answered or timed out.</summary>
    [Alias("Forget")]
    Task Forget(string sessionId);
}

/// <summary>How long a proxy may trust its cache without hearing from the registry again.</summary>
[GenerateSerializer, Immutable]
public sealed record EgressLease([property: Id(0)] TimeSpan Length)
{
    /// <summary>A Forget did not reach the proxy: it must drop its whole cache.</summary>
    [Id(1)] public bool ForgetAll { get; init; }
}
