using AgentCluster.Grains.Sessions;

namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// One reconcile's judgement of the containers its list shows: those it keeps, those it kills and
/// why, and those whose session it must ask first. The grain asks, kills and tells.
/// </summary>
public sealed class ReconcilePlan
{
    public List<SandboxContainer> Keep { get; } = [];

    public List<(SandboxContainer Container, string Why)> Doomed { get; } = [];

    /// <summary>Kept only if their session still claims them.</summary>
    public List<SandboxContainer> Ask { get; } = [];

    /// <param name="lost">Back from Unhealthy: its sessions were told they are Lost, so even their young sandboxes are asked about.</param>
    /// <param name="holdsIdle">Whether the host's pool holds an idle pool container.</param>
    public static ReconcilePlan Judge(IEnumerable<SandboxContainer> listed, DateTimeOffset now, TimeSpan claimGrace,
        IReadOnlySet<string>? lost, Func<SandboxContainer, bool> holdsIdle)
    {
        var plan = new ReconcilePlan();
        foreach (var container in listed)
        {
            switch (ReconcileRule.Judge(container, now, claimGrace))
            {
                case ReconcileVerdict.Keep when container.SessionId is { } id && lost?.Contains(id) == true: plan.Ask.Add(container); break;
                case ReconcileVerdict.Keep: plan.Keep.Add(container); break;
                case ReconcileVerdict.AskClaims: plan.Ask.Add(container); break;
                case ReconcileVerdict.AskPool when holdsIdle(container): plan.Keep.Add(container); break;
                case ReconcileVerdict.AskPool: plan.Doomed.Add((container, "it is an idle pool container its host does not hold")); break;
                case ReconcileVerdict.KillExpired: plan.Doomed.Add((container, "its deadline passed")); break;
                case ReconcileVerdict.KillStopped: plan.Doomed.Add((container, $"its process has ended ({container.State})")); break;
                default: plan.Doomed.Add((container, "its labels are unreadable")); break;
            }
        }
        return plan;
    }

    /// <summary>What its session said (or, unsure, is taken to have said) when asked.</summary>
    public void Answered(SandboxContainer container, bool claimed)
    {
        if (claimed)
            Keep.Add(container);
        else
            Doomed.Add((container, "no session claims it"));
    }

    /// <summary>The sessions to tell: each whose sandbox ended (stopped, expired, unclaimed), then each whose sandbox is no longer listed.</summary>
    public List<(string Session, SessionLoss Loss)> Losses(string host, IEnumerable<string> unlisted)
    {
        var losses = Doomed.Where(e => e.Container.SessionId is { } id && SessionIds.IsValid(id))
            .Select(e => (Session: e.Container.SessionId!, Loss: new SessionLoss($"its sandbox on {host} is gone: {e.Why}") { Host = host, ContainerId = e.Container.Id }))
            .ToList();
        losses.AddRange(unlisted.Select(id => (id, new SessionLoss($"its sandbox on {host} is gone: the engine no longer lists it") { Host = host })));
        return losses;
    }

    /// <summary>What the host still counts: those kept, and the doomed whose kill failed.</summary>
    public List<SandboxContainer> Survivors(IReadOnlySet<string> killed) =>
        [.. Keep, .. Doomed.Where(d => !killed.Contains(d.Container.Id)).Select(d => d.Container)];
}
