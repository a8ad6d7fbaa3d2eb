using AgentCluster.Grains.Approvals.Gate;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Tenants;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentCluster.Grains.Sessions;

/// <summary>
/// The life of one sandbox. Not reentrant: the deadline timer, a kill and a launch never
/// interleave, so a session cannot be killed half-created or created after its kill.
/// </summary>
public sealed partial class SessionGrain(
    [PersistentState("session", StorageNames.Default)] IPersistentState<SessionState> state,
    IAuditLog audit,
    ISecretVault vault,
    ActionGate gate,
    IOptions<FleetOptions> fleet,
    TimeProvider clock,
    ILogger<SessionGrain> logger) : Grain, ISessionGrain, IRemindable
{
    private const string Backstop = "deadline-backstop";
    private IGrainTimer? _deadlineTimer;

    private string Id => this.GetPrimaryKeyString();
    private SessionState S => state.State;
    private bool Exists => S.Tenant is not null;
    private bool Ended => S.Status is SessionStatus.Terminated or SessionStatus.Failed or SessionStatus.Lost;

    public override Task OnActivateAsync(CancellationToken ct)
    {
        // Re-arms after a failover: a deadline that passed while nobody hosted us fires at once.
        // Idleness starts over with the activation: a failover never cuts a session short.
        if (Exists && !Ended)
        {
            ArmDeadline();
            Touch();
        }
        return Task.CompletedTask;
    }

    public Task<SessionInfo?> Get() => Task.FromResult(Exists ? Info() : null);

    public Task<bool> Claims(string containerId) =>
        Task.FromResult(Exists && S.Status is SessionStatus.Starting or SessionStatus.Ready
            && S.ContainerId == containerId && clock.GetUtcNow() < S.Deadline);

    public async Task<SessionInfo?> Kill(string actor, string reason)
    {
        if (!Exists)
            return null;
        if (!Ended)
            await Terminate(actor, reason);
        return Info();
    }

    public async Task<SessionChangeResult> Extend(TimeSpan ttl, string actor)
    {
        if (Refusal(SessionRules.ExtendErrors(ttl)) is { } refused)
            return refused;
        if ((await GrainFactory.GetGrain<ITenantGrain>(S.Tenant!).Get())?.Quotas.MaxSessionTtl is not { } maxTtl)
            return new(SessionChangeStatus.Invalid, Info(), $"tenant {S.Tenant} not found");
        Touch();
        var wanted = clock.GetUtcNow() + ttl;
        var ceiling = S.CreatedAt + maxTtl;
        var deadline = wanted < ceiling ? wanted : ceiling;
        // The host first: its deadline timer and reconcile would otherwise kill at the old deadline.
        // If it cannot be told, the session is not extended and the caller hears so.
        if (deadline > S.Deadline && S.Host is { } host && S.ContainerId is { } container)
            await GrainFactory.GetGrain<IDockerHostGrain>(host).Extend(container, deadline);
        S.Deadline = deadline;
        await state.WriteStateAsync();
        ArmDeadline();
        await Audit(actor, AuditKinds.SessionStateChanged, AuditKinds.SessionExtended, "",
            ("deadline", S.Deadline.ToString("O")));
        return Applied();
    }

    /// <summary>Why a change cannot be made: no such session, a broken rule, or an ended session. Null: it can.</summary>
    private SessionChangeResult? Refusal(IReadOnlyList<string> errors) =>
        !Exists ? new(SessionChangeStatus.NotFound, null, $"session {Id} not found")
        : errors.Count > 0 ? new(SessionChangeStatus.Invalid, Info(), string.Join("; ", errors))
        : Ended ? new(SessionChangeStatus.Ended, Info(), SessionRules.Ended(Id, S.Status))
        : null;

    private SessionChangeResult Applied() => new(SessionChangeStatus.Applied, Info(), null);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!Exists || Ended)
        {
            await Unregister();
            return;
        }
        if (clock.GetUtcNow() >= S.Deadline)
            await Terminate(AuditActors.System, "ttl (reminder backstop)");
    }

    private void ArmDeadline()
    {
        _deadlineTimer?.Dispose();
        var due = S.Deadline - clock.GetUtcNow();
        _deadlineTimer = this.RegisterGrainTimer(OnDeadline, new GrainTimerCreationOptions
        {
            DueTime = due > TimeSpan.Zero ? due : TimeSpan.Zero,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = false,
            KeepAlive = true,
        });
    }

    private async Task OnDeadline(CancellationToken ct)
    {
        if (Exists && !Ended && clock.GetUtcNow() >= S.Deadline)
            await Terminate(AuditActors.System, "ttl");
        else if (Exists && !Ended)
            ArmDeadline();
    }

    private async Task Terminate(string actor, string reason)
    {
        await Transition(SessionStatus.Terminating, actor, reason);
        var killed = await KillContainer();
        S.Reason = reason;
        await Transition(SessionStatus.Terminated, actor, reason);
        await Audit(actor, AuditKinds.SessionKilled, AuditOutcomes.Success, reason, ("container", killed));
        await Release();
    }

    private async Task Release()
    {
        _idleTimer?.Dispose();
        _idleTimer = null;
        // A session that ends takes its grants with it, before anything else can fail.
        await RevokeAll(SessionEnded);
        await WithdrawApprovals();
        _deadlineTimer?.Dispose();
        _deadlineTimer = null;
        await GrainFactory.GetGrain<ITenantGrain>(S.Tenant!).ReleaseSession(Id);
        await Unregister();
    }

    private async Task Unregister()
    {
        if (await this.GetReminder(Backstop) is { } reminder)
            await this.UnregisterReminder(reminder);
    }
}
