using AgentCluster.Grains.Sessions;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// What a host's checks tell its sessions, <see cref="AtOnce"/> at a time, batch after batch: that
/// they are Lost (the engine is out of reach) or that their sandbox is gone. A session that could
/// not be told is told again at the next check.
/// </summary>
public sealed class SessionNotices(ILogger logger)
{
    public const int AtOnce = 16;

    /// <summary>
    /// Tells every session in <paramref name="untold"/> that it is Lost, taking out each one told;
    /// a grain that moved silos meanwhile starts over from the persisted set (marking Lost twice does nothing).
    /// </summary>
    public async Task Lost(string host, HashSet<string> untold, Func<string, Task> markLost)
    {
        var told = 0;
        await Batches(untold.ToList(), async id =>
        {
            try
            {
                await markLost(id);
                untold.Remove(id);
                told++;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not mark session {Session} of Docker host {Host} Lost; trying again at the next check", id, host);
            }
        });
        if (told > 0)
            logger.LogWarning("Docker host {Host} is Unhealthy: marked {Told} session(s) Lost ({Untold} still to tell)", host, told, untold.Count);
    }

    /// <summary>Tells each session that its sandbox is gone, so that none reads Ready without a running container.</summary>
    public Task Gone(HostContext h, IEnumerable<(string Session, SessionLoss Loss)> losses, Func<string, SessionLoss, Task> lose) =>
        Batches(losses, async l =>
        {
            try
            {
                await lose(l.Session, l.Loss);
                h.Health.ToldGone(l.Session, told: true);
            }
            catch (Exception e)
            {
                h.Health.ToldGone(l.Session, told: false);
                logger.LogWarning(e, "Could not tell session {Session} that its sandbox on {Host} is gone; telling it again at the next reconcile", l.Session, h.Host);
            }
        });

    private static async Task Batches<T>(IEnumerable<T> items, Func<T, Task> tell)
    {
        foreach (var batch in items.Chunk(AtOnce))
            await Task.WhenAll(batch.Select(tell));
    }
}
