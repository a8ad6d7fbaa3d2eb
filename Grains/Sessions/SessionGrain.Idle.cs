using AgentCluster.Grains.Audit;

namespace AgentCluster.Grains.Sessions;

public sealed partial class SessionGrain
{
    private DateTimeOffset _lastActivity;
    private IGrainTimer? _idleTimer;

    Task ISessionGrain.Touch()
    {
        Touch();
        return Task.CompletedTask;
    }

    /// <summary>Counts as activity; arms the idle check the first time a session with an idle timeout is touched.</summary>
    private void Touch()
    {
        _lastActivity = clock.GetUtcNow();
        if (_idleTimer is not null || S.IdleTimeout is not { } idle || Ended || S.Status != SessionStatus.Ready)
            return;
        // A tenth of the timeout (at most a second): the kill comes at most that late.
        var tick = TimeSpan.FromTicks(Math.Min(idle.Ticks / 10, TimeSpan.TicksPerSecond));
        _idleTimer = this.RegisterGrainTimer(CheckIdle, new GrainTimerCreationOptions
        {
            DueTime = tick,
            Period = tick,
            Interleave = false,
            KeepAlive = true,
        });
    }

    private async Task CheckIdle(CancellationToken ct)
    {
        if (Ended || S.IdleTimeout is not { } idle)
            return;
        if (S.Status == SessionStatus.Ready && clock.GetUtcNow() - _lastActivity >= idle)
            await Terminate(AuditActors.System, "idle");
    }
}
