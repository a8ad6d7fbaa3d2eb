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

    /// <summary>Sessions that were not told their sandbox is gone: they stay this host's until they are.</summary>
    private readonly HashSet<string> _untoldGone = new(StringComparer.Ordinal);

    /// <summary>
    /// Tells each session whose sandbox the list shows ended (stopped, expired, unclaimed) or no
    /// longer shows at all, so that none reads Ready without a running container. A session
    /// launched since the list began, or launching now, is not judged by it.
    /// </summary>
    private async Task TellGone(List<SandboxContainer> listed, long listedAt,
        HashSet<string> before, List<(SandboxContainer Container, string Why)> ended)
    {
        var losses = ended.Where(e => e.Container.SessionId is { } id && SessionIds.IsValid(id))
            .Select(e => (Session: e.Container.SessionId!, Loss: new SessionLoss($"its sandbox on {Name} is gone: {e.Why}") { Host = Name, ContainerId = e.Container.Id }))
            .ToList();
        var shown = listed.Select(c => c.SessionId).OfType<string>();
        var launchedSince = _known.Values.Where(t => t.Epoch > listedAt).Select(t => t.Container.SessionId).OfType<string>();
        losses.AddRange(before.Except(shown).Except(launchedSince).Except(_launching)
            .Select(id => (id, new SessionLoss($"its sandbox on {Name} is gone: the engine no longer lists it") { Host = Name })));

        foreach (var batch in losses.Chunk(MarksAtOnce))
        {
            await Task.WhenAll(batch.Select(async l =>
            {
                try
                {
                    await GrainFactory.GetGrain<ISessionGrain>(l.Session).Lose(l.Loss);
                    _untoldGone.Remove(l.Session);
                }
                catch (Exception e)
                {
                    _untoldGone.Add(l.Session);
                    logger.LogWarning(e, "Could not tell session {Session} that its sandbox on {Host} is gone; telling it again at the next reconcile", l.Session, Name);
                }
            }));
        }
    }

    /// <summary>The sessions of this host: those the last good check persisted and those tracked since.</summary>
    private HashSet<string> SessionsHere() => [.. state.State.Sessions, .. SessionsSeen()];

    /// <summary>Only real session ids: a container labelled by hand or by a test names no session to tell.</summary>
    private HashSet<string> SessionsSeen() =>
        [.. _known.Values.Select(t => t.Container.SessionId).OfType<string>().Where(SessionIds.IsValid), .. _untoldGone];
}
