using AgentCluster.Grains.Fleet;

namespace AgentCluster.Grains.Sessions;

/// <summary>A container is live only while its session says so; unknown sessions claim nothing.</summary>
public sealed class SessionClaims(IGrainFactory grains) : ISandboxClaims
{
    public Task<bool> IsLive(string sessionId, string containerId) =>
        sessionId.StartsWith(SessionIds.Prefix, StringComparison.Ordinal)
            ? grains.GetGrain<ISessionGrain>(sessionId).Claims(containerId)
            : Task.FromResult(false);
}
