using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Fleet.Hosts;
using AgentCluster.Grains.Sessions;
using AgentCluster.Grains.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet;

/// <summary>The checks' timers, the verdicts they persist, and the deadline timer.</summary>
public sealed partial class DockerHostGrain
{
    private const string CheckKey = "check";

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

    /// <summary>Ping and reconcile, shared by whoever asks while one is under way.</summary>
    private Task<ReconcileReport> CheckOnce() => _checks.Run(CheckKey, Check);

    private async Task<ReconcileReport> Check()
    {
        if (!state.State.Registered)
            return new ReconcileReport(0, [], $"Docker host {Name} is not registered");
        var check = await Probe.Run(Here, (id, loss) => GrainFactory.GetGrain<ISessionGrain>(id).Lose(loss));
        ScheduleDeadlineKill();
        if (check.Changed)
            await Persist();
        if (check.TurnedUnsafe)
            await AuditUnsafe();
        // Its engine is out of reach, and so are its sandboxes: every session it last knew there turns Lost.
        if (check.Failed && state.State.Health == HostHealth.Unhealthy)
            await _notices.Lost(Name, _health.UntoldLost(() => HealthProbe.SessionsHere(Here)), id => GrainFactory.GetGrain<ISessionGrain>(id).MarkLost(Name));
        return check.Report;
    }

    /// <summary>
    /// An in-process fleet may run without an audit log (tests, benchmarks); a silo always has one.
    /// A row that cannot be written fails no check: the host stays Unsafe, and the log says so.
    /// </summary>
    private async Task AuditUnsafe()
    {
        try
        {
            if (ServiceProvider.GetService<IAuditLog>() is { } audit)
                await audit.AppendAsync(new AuditEvent(SystemTenant.Name, AuditActors.System, AuditKinds.HostUnsafe, Name, AuditOutcomes.Failed,
                    state.State.UnsafeReason ?? "", AuditEvent.NoDetail.Add("endpoint", state.State.Endpoint)));
        }
        catch (Exception e)
        {
            logger.LogError(e, "Docker host {Host} is Unsafe, but its host.unsafe audit row could not be written", Name);
        }
    }

    /// <summary>The one-shot timer at the earliest deadline this host knows of and is not already killing.</summary>
    private void ScheduleDeadlineKill() => _deadlineTimer?.Change(_ledger.KillDueIn(clock.GetUtcNow()), Timeout.InfiniteTimeSpan);

    /// <summary>
    /// Kills the known sandboxes whose deadline has come, without waiting for the next list. It
    /// re-arms for the next deadline at once rather than after these kills: a kill takes 100 ms or
    /// more on a busy engine, and the deadlines after it must not queue up behind it.
    /// </summary>
    private Task KillExpired()
    {
        // An engine that is down cannot kill: the reconcile that brings it back kills what expired meanwhile.
        if (state.State.Health == HostHealth.Unhealthy || !state.State.Registered)
            return Task.CompletedTask;
        if (_ledger.TakeDue(clock.GetUtcNow()) is { Count: > 0 } due)
            _ = KillExpiring(due);
        ScheduleDeadlineKill();
        return Task.CompletedTask;
    }

    /// <summary>Runs in the activation, interleaved like every other turn of this reentrant grain.</summary>
    private async Task KillExpiring(List<SandboxContainer> due)
    {
        await _kills.Expired(Here, due);
        ScheduleDeadlineKill();
    }
}
