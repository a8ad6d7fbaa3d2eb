using AgentCluster.Grains.Sessions;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet;

public sealed partial class DockerHostGrain
{
    private const int MarksAtOnce = 16;

    /// <summary>While Unhealthy: the sessions not yet told that they are Lost. Null until the first failed check tells them.</summary>
    private HashSet<string>? _untold;

    /// <summary>
    /// Its engine is out of reach, and so are the sandboxes on it: every session it last knew there
    /// turns Lost and frees its tenant's slot. A session that could not be told is told again at
    /// the next failed check; a grain that moved silos meanwhile starts over from the persisted set
    /// (marking Lost twice does nothing).
    /// </summary>
    private async Task MarkSessionsLost()
    {
        var untold = _untold ??= SessionsHere();
        var told = 0;
        foreach (var batch in untold.ToList().Chunk(MarksAtOnce))
        {
            await Task.WhenAll(batch.Select(async id =>
            {
                try
                {
                    await GrainFactory.GetGrain<ISessionGrain>(id).MarkLost(Name);
                    untold.Remove(id);
                    told++;
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Could not mark session {Session} of Docker host {Host} Lost; trying again at the next check", id, Name);
                }
            }));
        }
        if (told > 0)
            logger.LogWarning("Docker host {Host} is Unhealthy: marked {Told} session(s) Lost ({Untold} still to tell)", Name, told, untold.Count);
    }

    /// <summary>The sessions of this host: those the last good check persisted and those tracked since.</summary>
    private HashSet<string> SessionsHere() => [.. state.State.Sessions, .. SessionsSeen()];

    /// <summary>Only real session ids: a container labelled by hand or by a test names no session to tell.</summary>
    private HashSet<string> SessionsSeen() =>
        _known.Values.Select(t => t.Container.SessionId).OfType<string>().Where(SessionIds.IsValid).ToHashSet(StringComparer.Ordinal);
}
