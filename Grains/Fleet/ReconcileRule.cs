namespace AgentCluster.Grains.Fleet;

public enum ReconcileVerdict
{
    Keep,

    /// <summary>Deadline not passed and old enough: keep only if a session claims it.</summary>
    AskClaims,
    KillExpired,

    /// <summary>Labelled as a sandbox but without a readable session, tenant or deadline: nobody can own it.</summary>
    KillMalformed,
}

/// <summary>What a reconcile does with one labelled container, before asking any session.</summary>
public static class ReconcileRule
{
    public static ReconcileVerdict Judge(SandboxContainer container, DateTimeOffset now, TimeSpan claimGrace)
    {
        if (container.SessionId is null || container.Tenant is null || container.Deadline is not { } deadline)
            return ReconcileVerdict.KillMalformed;
        if (deadline <= now)
            return ReconcileVerdict.KillExpired;
        // Its session may be between "created" and "recorded": asking now could kill a good launch.
        return now - container.Created < claimGrace ? ReconcileVerdict.Keep : ReconcileVerdict.AskClaims;
    }
}
