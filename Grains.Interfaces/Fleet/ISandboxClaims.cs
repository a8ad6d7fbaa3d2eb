namespace AgentCluster.Grains.Fleet;

/// <summary>
/// Asked by a host's reconcile about every labelled container whose deadline has not passed:
/// does a live session still claim it? A container nobody claims is killed. Sessions plug in
/// their own implementation; the default one claims every container until its deadline.
/// </summary>
public interface ISandboxClaims
{
    Task<bool> IsLive(string sessionId, string containerId);
}
