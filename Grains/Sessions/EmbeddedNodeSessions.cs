using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Tenants;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Sessions;

/// <summary>
/// The embedded node is the whole cluster, with its reminders in memory: nobody takes over its
/// sessions, so they end with it. Stopping it kills every live session (Terminated); starting it
/// finds those a crash left behind Lost and kills their sandboxes, so no session reads Ready
/// without a running container and no sandbox outlives the node's next start.
/// </summary>
public sealed class EmbeddedNodeSessions(IGrainFactory grains, TimeProvider clock, ILogger<EmbeddedNodeSessions> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    private const int AtOnce = 8;

    // Before the node serves anything: a session created after this is this run's own.
    private readonly DateTimeOffset _startedAt = clock.GetUtcNow();

    /// <summary>After the fleet's start-up, which registers the hosts that kill the sandboxes.</summary>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(EmbeddedNodeSessions), ServiceLifecycleStage.Active + 1, Start, Stop);

    private Task Start(CancellationToken ct) => EndAll("lost (left by the node's last run)", ct, id =>
        grains.GetGrain<ISessionGrain>(id).Lose(new SessionLoss("the node it ran on stopped without ending it") { CreatedBefore = _startedAt }));

    private Task Stop(CancellationToken ct) => EndAll("terminated (the node stops)", ct, id =>
        grains.GetGrain<ISessionGrain>(id).Kill(AuditActors.System, "the node stopped"));

    private async Task EndAll(string what, CancellationToken ct, Func<string, Task<SessionInfo?>> end)
    {
        var sessions = await LiveSessions();
        var ended = 0;
        foreach (var batch in sessions.Chunk(AtOnce))
        {
            await Task.WhenAll(batch.Select(async id =>
            {
                try
                {
                    if (await end(id).WaitAsync(ct) is { Status: not (SessionStatus.Ready or SessionStatus.Starting) })
                        Interlocked.Increment(ref ended);
                }
                catch (Exception e)
                {
                    logger.LogError(e, "Could not end session {Session} with the node", id);
                }
            }));
        }
        if (sessions.Count > 0)
            logger.LogWarning("{Ended} of {Count} live session(s) {What}", ended, sessions.Count, what);
    }

    private async Task<List<string>> LiveSessions()
    {
        var tenants = await grains.GetGrain<ITenantRegistryGrain>(ITenantRegistryGrain.Key).List();
        var live = await Task.WhenAll(tenants.Select(t => grains.GetGrain<ITenantGrain>(t).ListLiveSessions()));
        return [.. live.SelectMany(s => s)];
    }
}
