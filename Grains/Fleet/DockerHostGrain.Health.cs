using AgentCluster.Grains.Fleet.Hosts;
using AgentCluster.Grains.Sessions;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet;

public sealed partial class DockerHostGrain
{
    private const string CheckKey = "check";
    private const int MarksAtOnce = 16;

    private readonly SharedCalls<ReconcileReport> _checks = new();
    private IGrainTimer? _tick;
    private IGrainTimer? _deadlineTimer;

    public async Task<ReconcileReport> Reconcile()
    {
        // One already under way may have listed before the caller's change: wait, then run anew.
        if (_checks.UnderWay(CheckKey) is { } running)
            await running;
        return await CheckOnce();
    }

    private async Task StartChecks()
    {
        _tick ??= Timer(Tick, TimeSpan.Zero, _options.ReconcileInterval);
        _deadlineTimer ??= Timer(KillExpired, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        // The timers die with the activation; the reminder brings the grain (and them) back.
        await this.RegisterOrUpdateReminder(ReminderName, _options.ReminderPeriod, _options.ReminderPeriod);
    }

    /// <summary>A timer that keeps the activation alive and interleaves with every other turn, like the grain's calls.</summary>
    private IGrainTimer Timer(Func<Task> work, TimeSpan due, TimeSpan period) =>
        this.RegisterGrainTimer(_ => work(), new GrainTimerCreationOptions { DueTime = due, Period = period, KeepAlive = true, Interleave = true });

    /// <summary>The timer's and the reminder's check, skipped right after one that a launch or a caller ran.</summary>
    private Task Tick() => _health.CheckedJustNow ? Task.CompletedTask : CheckOnce();

    /// <summary>A new endpoint is a new host: nothing known about the old one carries over.</summary>
    private void Moved()
    {
        _health.Moved();
        _engine = null;
        _ledger.Moved();
        state.State.Health = HostHealth.Unknown;
        state.State.Sessions.Clear();
    }

    /// <summary>Ping and reconcile, shared by whoever asks while one is under way.</summary>
    private Task<ReconcileReport> CheckOnce() => _checks.Run(CheckKey, Check);

    private async Task<ReconcileReport> Check()
    {
        if (!state.State.Registered)
            return new ReconcileReport(0, [], $"Docker host {Name} is not registered");
        var generation = _health.Generation;
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
            if (generation == _health.Generation)
                await Failed(e);
            return new ReconcileReport(0, [], e.Message);
        }

        if (generation == _health.Generation)
            await Succeeded();
        return report;
    }

    private async Task Failed(Exception e)
    {
        var unhealthy = _health.Failed(e.Message, state.State.Health);
        logger.LogDebug(e, "Check of Docker host {Host} failed ({Failures} in a row)", Name, _health.Failures);
        if (unhealthy)
        {
            state.State.Health = HostHealth.Unhealthy;
            await Persist();
            logger.LogWarning("Docker host {Host} is Unhealthy after {Failures} failed checks: {Error}", Name, _health.Failures, e.Message);
        }
        if (state.State.Health == HostHealth.Unhealthy)
            await MarkSessionsLost();
    }

    private async Task Succeeded()
    {
        _health.Succeeded();
        var was = state.State.Health;
        var sessions = SessionsSeen();
        if (was == HostHealth.Healthy && sessions.SetEquals(state.State.Sessions))
            return;
        state.State.Health = HostHealth.Healthy;
        state.State.Sessions = sessions;
        await Persist();
        if (was != HostHealth.Healthy)
            logger.LogInformation("Docker host {Host} is Healthy (was {Was}), reconciled with {Running} sandboxes", Name, was, _ledger.Running);
    }

    /// <summary>
    /// Its engine is out of reach, and so are the sandboxes on it: every session it last knew there
    /// turns Lost and frees its tenant's slot. A session that could not be told is told again at
    /// the next failed check; a grain that moved silos meanwhile starts over from the persisted set
    /// (marking Lost twice does nothing).
    /// </summary>
    private async Task MarkSessionsLost()
    {
        var untold = _health.UntoldLost(SessionsHere);
        var told = 0;
        await Tell(untold.ToList(), async id =>
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
        });
        if (told > 0)
            logger.LogWarning("Docker host {Host} is Unhealthy: marked {Told} session(s) Lost ({Untold} still to tell)", Name, told, untold.Count);
    }

    /// <summary>Tells sessions <see cref="MarksAtOnce"/> at a time, batch after batch.</summary>
    private static async Task Tell<T>(IEnumerable<T> items, Func<T, Task> tell)
    {
        foreach (var batch in items.Chunk(MarksAtOnce))
            await Task.WhenAll(batch.Select(tell));
    }
}
