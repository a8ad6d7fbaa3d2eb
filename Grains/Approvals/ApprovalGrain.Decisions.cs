using System.Security.Cryptography;
using System.Text;
using AgentCluster.Grains.Audit;

namespace AgentCluster.Grains.Approvals;

public sealed partial class ApprovalGrain
{
    public async Task<DecisionResult> Decide(bool approve, string actor, string note)
    {
        if (R is null)
            return new(DecisionStatus.NotFound, null);
        if (R.Requesters is { IsDefault: false } askers && askers.Contains(actor))
        {
            await Audit(actor, AuditKinds.ApprovalRefused, AuditOutcomes.Denied,
                $"{(approve ? "approve" : "deny")} refused: four eyes, the key that asked for the action may not decide it");
            return new(DecisionStatus.Requester, Info());
        }
        // The timer may run a little late; a decision after the deadline must still lose to it.
        if (Pending && clock.GetUtcNow() >= R.Deadline)
            await Close(ApprovalStatus.Expired, AuditActors.System, "no decision before the deadline");
        if (!Pending)
        {
            await Audit(actor, AuditKinds.ApprovalRefused, AuditOutcomes.Denied,
                $"{(approve ? "approve" : "deny")} refused: already {S.Status.ToString().ToLowerInvariant()}");
            return new(DecisionStatus.AlreadyDecided, Info());
        }
        await Close(approve ? ApprovalStatus.Approved : ApprovalStatus.Denied, actor, note);
        return new(DecisionStatus.Decided, Info());
    }

    public async Task Withdraw(string reason)
    {
        if (Pending)
            await Close(ApprovalStatus.Denied, AuditActors.System, reason);
    }

    public async Task Abandon(string actor, string reason)
    {
        if (Pending)
            await Close(ApprovalStatus.Denied, actor, reason, AuditKinds.ApprovalWithdrawn);
    }

    public async Task<CompletionStatus> Complete(string payloadSha256, string outcome, string actor)
    {
        if (R is null)
            return CompletionStatus.NotFound;
        var refusal = S.Status != ApprovalStatus.Approved ? CompletionStatus.NotApproved
            : S.Outcome is not null ? CompletionStatus.AlreadyCompleted
            : !SameHash(payloadSha256, R.PayloadSha256) ? CompletionStatus.PayloadMismatch
            : CompletionStatus.Accepted;
        if (refusal != CompletionStatus.Accepted)
        {
            await Audit(actor, AuditKinds.ApprovalRefused, AuditOutcomes.Denied, $"completion refused: {Describe(refusal)}",
                ("reportedSha256", Hex(payloadSha256)), ("outcome", outcome));
            return refusal;
        }
        S.Outcome = outcome;
        await state.WriteStateAsync();
        await Audit(actor, AuditKinds.ApprovalCompleted, outcome, "");
        return CompletionStatus.Accepted;
    }

    private async Task Close(ApprovalStatus status, string actor, string note, string kind = AuditKinds.ApprovalDecided)
    {
        S.Status = status;
        S.DecidedBy = actor;
        S.DecidedAt = clock.GetUtcNow();
        S.Note = note;
        await state.WriteStateAsync();
        _deadlineTimer?.Dispose();
        _deadlineTimer = null;
        await Audit(actor, kind, status.ToString().ToLowerInvariant(), note);
        // Waiters hear the decision only once it is durable and audited.
        _closed.TrySetResult();
        await ForgetScreen();
        await GrainFactory.GetGrain<IApprovalInboxGrain>(R!.Tenant).Remove(Id);
        await Unregister();
    }

    private static string Describe(CompletionStatus refusal) => refusal switch
    {
        CompletionStatus.NotApproved => "the approval is not approved",
        CompletionStatus.AlreadyCompleted => "already completed",
        CompletionStatus.PayloadMismatch => "the payload is not the approved one",
        _ => refusal.ToString(),
    };

    private static bool SameHash(string reported, string approved) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(reported.ToLowerInvariant()), Encoding.ASCII.GetBytes(approved));

    /// <summary>What the caller claimed, kept only if it looks like a hash: the audit gets no free text from here.</summary>
    private static string Hex(string reported) =>
        reported.Length == 64 && reported.All(Uri.IsHexDigit) ? reported.ToLowerInvariant() : "(not a sha-256)";
}
