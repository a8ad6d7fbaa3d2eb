namespace AgentCluster.Grains.Fleet;

/// <summary>
/// The claims until sessions plug in theirs: every container is claimed. The reconcile asks only
/// about containers whose deadline has not passed, so with this a container lives exactly until
/// its deadline.
/// </summary>
public sealed class DeadlineClaims : ISandboxClaims
{
    public Task<bool> IsLive(string sessionId, string containerId) => Task.FromResult(true);
}
