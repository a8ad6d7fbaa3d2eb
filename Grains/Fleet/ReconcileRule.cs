namespace AgentCluster.Grains.Fleet;

public enum ReconcileVerdict
{
    Keep,

    /// <summary>Deadline not passed and old enough: keep only if a session claims it.</summary>
    AskClaims,

    /// <summary>An idle warm-pool container, deadline not passed and old enough: keep only if its host's pool holds it.</summary>
    AskPool,
    KillExpired,

    /// <summary>Its process has ended (exited, dead): it serves nobody, and its session has lost it.</summary>
    KillStopped,

    /// <summary>Labelled as a sandbox but without a readable session, tenant or deadline: nobody can own it.</summary>
    KillMalformed,
}

/// <summary>What a reconcile does with one labelled container, before asking any session.</summary>
public static class ReconcileRule
{
    public static ReconcileVerdict Judge(SandboxContainer container, DateTimeOffset now, TimeSpan claimGrace)
    {
        // A pool container has no tenant until a session claims it, and then the session names the tenant.
        var owned = container.PoolHost is null ? container.SessionId is not null && container.Tenant is not null : container.LabelledSession is not null;
        if (!owned || container.Deadline is not { } deadline)
            return ReconcileVerdict.KillMalformed;
        if (deadline <= now)
            return ReconcileVerdict.KillExpired;
        // However young: a sandbox whose process ended never runs again (nothing restarts it).
        if (container.HasStopped)
            return ReconcileVerdict.KillStopped;
        // Its session may be between "created" and "recorded": asking now could kill a good launch.
        // (A pool container being made is as young, and not yet in its pool.)
        if (now - container.Created < claimGrace)
            return ReconcileVerdict.Keep;
        return container.IsIdlePool ? ReconcileVerdict.AskPool : ReconcileVerdict.AskClaims;
    }
}
