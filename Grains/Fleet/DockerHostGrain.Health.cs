using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet;

public sealed partial class DockerHostGrain
{
    private IGrainTimer? _tick;
    private IGrainTimer? _deadlineTimer;
    private Task<ReconcileReport>? _check;
    private int _generation;
    private int _failures;
    private DateTimeOffset? _lastCheckAt;
    private string? _lastError;
    private bool _listed;

    public async Task<ReconcileReport> Reconcile()
    {
        // One already under way may have listed before the caller's change: wait, then run anew.
        if (_check is { } running)
            await running;
        return await CheckOnce();
    }

    private async Task StartChecks()
    {
        _tick ??= this.RegisterGrainTimer(_ => Tick(), new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = _options.ReconcileInterval,
            KeepAlive = true,
            Interleave = true,
        });
        _deadlineTimer ??= this.RegisterGrainTimer(_ => KillExpired(), new GrainTimerCreationOptions
        {
            DueTime = Timeout.InfiniteTimeSpan,
            Period = Timeout.InfiniteTimeSpan,
            KeepAlive = true,
            Interleave = true,
        });
        // The timers die with the activation; the reminder brings the grain (and them) back.
        await this.RegisterOrUpdateReminder(ReminderName, _options.ReminderPeriod, _options.ReminderPeriod);
    }

    /// <summary>The timer's and the reminder's check, skipped right after one that a launch or a caller ran.</summary>
    private Task Tick() =>
        _lastCheckAt is { } last && clock.GetUtcNow() - last < _options.ReconcileInterval / 2 ? Task.CompletedTask : CheckOnce();

    /// <summary>A new endpoint is a new host: nothing known about the old one carries over.</summary>
    private void Moved()
    {
        _generation++;
        _engine = null;
        _known.Clear();
        _listed = false;
        _failures = 0;
        _untold = null;
        state.State.Health = HostHealth.Unknown;
        state.State.Sessions.Clear();
    }

    /// <summary>Ping and reconcile, shared by whoever asks while one is under way.</summary>
    private Task<ReconcileReport> CheckOnce()
    {
        if (_check is { } running)
            return running;
        var task = Guarded();
        if (!task.IsCompleted)
            _check = task;
        return task;

        async Task<ReconcileReport> Guarded()
        {
            try
            {
                return await Check();
            }
            finally
            {
                _check = null;
            }
        }
    }

    private async Task<ReconcileReport> Check()
    {
        if (!state.State.Registered)
            return new ReconcileReport(0, [], $"Docker host {Name} is not registered");
        var generation = _generation;
        var engine = Engine;
        ReconcileReport report;
        try
        {
            await engine.PingAsync();
            // A host that was down or is new gets its network checked anew, then the full reconcile,
            // and only then is it Healthy: its leftovers are gone before it takes work.
            if (state.State.Health != HostHealth.Healthy)
                await engine.EnsureNetworkAsync();
            report = await ReconcileWith(engine);
        }
        catch (Exception e)
        {
            if (generation == _generation)
                await Failed(e);
            return new ReconcileReport(0, [], e.Message);
        }

        if (generation == _generation)
            await Succeeded();
        return report;
    }

    private async Task Failed(Exception e)
    {
        _failures++;
        _lastError = e.Message;
        _lastCheckAt = clock.GetUtcNow();
        logger.LogDebug(e, "Check of Docker host {Host} failed ({Failures} in a row)", Name, _failures);
        if (_failures >= _options.UnhealthyAfter && state.State.Health != HostHealth.Unhealthy)
        {
            state.State.Health = HostHealth.Unhealthy;
            await Persist();
            logger.LogWarning("Docker host {Host} is Unhealthy after {Failures} failed checks: {Error}", Name, _failures, e.Message);
        }
        if (state.State.Health == HostHealth.Unhealthy)
            await MarkSessionsLost();
    }

    private async Task Succeeded()
    {
        _failures = 0;
        _lastError = null;
        _lastCheckAt = clock.GetUtcNow();
        // Whoever was not told by now keeps a claim the reconcile has just honoured.
        _untold = null;
        var was = state.State.Health;
        var sessions = SessionsSeen();
        if (was == HostHealth.Healthy && sessions.SetEquals(state.State.Sessions))
            return;
        state.State.Health = HostHealth.Healthy;
        state.State.Sessions = sessions;
        await Persist();
        if (was != HostHealth.Healthy)
            logger.LogInformation("Docker host {Host} is Healthy (was {Was}), reconciled with {Running} sandboxes", Name, was, Running);
    }
}
