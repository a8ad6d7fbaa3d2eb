using AgentCluster.Grains.Approvals.Notices;
using AgentCluster.Grains.Audit;

namespace AgentCluster.Grains.Approvals;

/// <summary>
/// One held action. Not reentrant, so a decision, the deadline and a withdrawal never interleave:
/// exactly one of them closes the approval. Only waiters interleave, and they only read.
/// </summary>
public sealed partial class ApprovalGrain(
    [PersistentState("approval", StorageNames.Default)] IPersistentState<ApprovalState> state,
    [PersistentState("approvalScreen", StorageNames.Default)] IPersistentState<ApprovalScreenState> screen,
    IAuditLog audit,
    ApprovalNotices notices,
    TimeProvider clock) : Grain, IApprovalGrain, IRemindable
{
    private const string Backstop = "deadline-backstop";

    /// <summary>Orleans reminders tick at most once a minute; the first tick comes just after the deadline.</summary>
    private static readonly TimeSpan BackstopPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan BackstopGrace = TimeSpan.FromSeconds(2);

    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IGrainTimer? _deadlineTimer;
    private IGrainReminder? _backstop;

    private string Id => this.GetPrimaryKeyString();
    private ApprovalState S => state.State;
    private ApprovalRequest? R => S.Request;
    private bool Pending => R is not null && S.Status == ApprovalStatus.Pending;

    public override async Task OnActivateAsync(CancellationToken ct)
    {
        // After a failover the deadline is re-armed from storage; one that passed meanwhile fires at once.
        if (Pending)
            ArmDeadline();
        else if (R is not null)
            _closed.TrySetResult();
        await ForgetScreen();
    }

    public async Task<ApprovalInfo> Open(ApprovalRequest request)
    {
        if (R is not null)
            return Info();
        S.Request = request;
        S.Status = ApprovalStatus.Pending;
        S.CreatedAt = clock.GetUtcNow();
        await state.WriteStateAsync();
        ArmDeadline();
        // The backstop, the inbox entry and the audit row are independent writes, all durable before
        // anyone hears "pending": from then on a crash still ends in a decision or an expiry.
        await Task.WhenAll(
            RegisterBackstop(),
            GrainFactory.GetGrain<IApprovalInboxGrain>(request.Tenant).Add(Id, request.Session),
            Audit(request.RequestedBy, AuditKinds.ApprovalRequested, "pending", request.Classification.Reason,
                ("deadline", request.Deadline.ToString("O"))));
        notices.Post(Info());
        return Info();
    }

    public Task<ApprovalInfo?> Get() => Task.FromResult(R is null ? null : Info());

    public async Task<ApprovalInfo?> WaitForDecision(TimeSpan maxWait)
    {
        if (Pending)
        {
            try { await _closed.Task.WaitAsync(maxWait, clock); }
            catch (TimeoutException) { }
        }
        return R is null ? null : Info();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!Pending)
        {
            await ForgetScreen();
            await Unregister();
        }
        else if (clock.GetUtcNow() >= R!.Deadline)
            await Close(ApprovalStatus.Expired, AuditActors.System, "no decision before the deadline (reminder backstop)");
    }

    private TimeSpan Due()
    {
        var due = R!.Deadline - clock.GetUtcNow();
        return due > TimeSpan.Zero ? due : TimeSpan.Zero;
    }

    private void ArmDeadline()
    {
        _deadlineTimer?.Dispose();
        _deadlineTimer = this.RegisterGrainTimer(OnDeadline, new GrainTimerCreationOptions
        {
            DueTime = Due(),
            Period = Timeout.InfiniteTimeSpan,
            Interleave = false,
            KeepAlive = true,
        });
    }

    private async Task OnDeadline(CancellationToken ct)
    {
        if (Pending && clock.GetUtcNow() >= R!.Deadline)
            await Close(ApprovalStatus.Expired, AuditActors.System, "no decision before the deadline");
        else if (Pending)
            ArmDeadline();
    }

    private async Task RegisterBackstop() =>
        _backstop = await this.RegisterOrUpdateReminder(Backstop, Due() + BackstopGrace, BackstopPeriod);

    private async Task Unregister()
    {
        // The handle from registration saves a read; after a fail-over it has to be looked up.
        if ((_backstop ?? await this.GetReminder(Backstop)) is { } reminder)
            await this.UnregisterReminder(reminder);
        _backstop = null;
    }

    private ApprovalInfo Info() => new(Id, R!, S.Status, S.CreatedAt, S.DecidedBy, S.DecidedAt, S.Note, S.Outcome);

    private Task Audit(string actor, string kind, string outcome, string reason, params (string Key, string Value)[] detail) =>
        audit.AppendAsync(new AuditEvent(R!.Tenant, actor, kind, Id, outcome, reason,
            AuditEvent.NoDetail.AddRange(
                [new("session", R.Session), new("action", R.Action), new("risk", R.Classification.Risk.ToString()),
                 new("payloadSha256", R.PayloadSha256),
                 .. detail.Select(d => new KeyValuePair<string, string>(d.Key, d.Value))])));
}
