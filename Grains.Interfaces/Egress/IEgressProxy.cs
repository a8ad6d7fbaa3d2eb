namespace AgentCluster.Grains.Egress;

/// <summary>
/// A proxy process, as the cluster can call it back: it caches what session and grant grains
/// answered, and this is how it is told to stop trusting those answers.
/// </summary>
[Alias("AgentCluster.Grains.Egress.IEgressProxy")]
public interface IEgressProxy : IGrainObserver
{
    /// <summary>Drops every cached answer about the session; returns once they are gone.</summary>
    [Alias("Forget")]
    Task Forget(string sessionId);
}
