using AgentCluster.Grains.Approvals;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Computer;
using AgentCluster.Grains.Tenants;

namespace AgentCluster.Grains.Sessions;

public sealed partial class SessionGrain
{
    private const string SessionEndedNote = "the session ended before a decision";

    /// <summary>How stale the tenant's overrides may be on the read-only fast path.</summary>
    private static readonly TimeSpan PolicyCacheTime = TimeSpan.FromSeconds(2);

    private ApprovalPolicy? _policy;
    private DateTimeOffset _policyReadAt;

    public async Task<ActionAuthorization?> Authorize(ActionRequest request)
    {
        if (!Exists)
            return null;
        Touch();
        var policy = (await GrainFactory.GetGrain<ITenantGrain>(S.Tenant!).Get())?.Approvals ?? ApprovalPolicy.Default;
        var classification = gate.Classify(request, policy);
        var hash = ApprovalIds.PayloadHash(request.Payload);
        (string, string)[] detail = [("action", request.Action), ("risk", classification.Risk.ToString()), ("payloadSha256", hash)];

        if (Ended || S.Status != SessionStatus.Ready)
        {
            await Audit(request.Actor, AuditKinds.ActionAuthorized, AuditOutcomes.Denied, $"session is {S.Status}", detail);
            return new(GateDecision.SessionEnded, classification, null, null);
        }
        if (classification.Risk == RiskLevel.Reversible)
        {
            await Audit(request.Actor, AuditKinds.ActionAuthorized, "allowed", classification.Reason, detail);
            return new(GateDecision.Allowed, classification, null, null);
        }
        if (classification.Risk == RiskLevel.RecoverableWithAudit)
        {
            await Audit(request.Actor, AuditKinds.ActionAuthorized, "allowed", classification.Reason,
                [.. detail, ("payload", gate.Redact(request)), ("revertHint", gate.RevertHint(request.Action))]);
            return new(GateDecision.Allowed, classification, null, null);
        }

        // Counted and opened in one turn of this non-reentrant grain: concurrent requests cannot both slip under the cap.
        var inbox = GrainFactory.GetGrain<IApprovalInboxGrain>(S.Tenant!);
        if (await inbox.PendingFor(Id) >= policy.MaxPendingPerSession)
        {
            await Audit(request.Actor, AuditKinds.ActionAuthorized, AuditOutcomes.Denied,
                $"{policy.MaxPendingPerSession} approvals already pending", detail);
            return new(GateDecision.TooManyPending, classification, null, null);
        }

        var id = ApprovalIds.New();
        var deadline = clock.GetUtcNow() + policy.Timeout;
        // Opened to the end before this call returns (inbox entry included): a kill, which cannot
        // interleave with it, then finds it in the inbox.
        await GrainFactory.GetGrain<IApprovalGrain>(id).Open(
            new ApprovalRequest(S.Tenant!, Id, request.Action, classification, hash, gate.Redact(request), deadline, request.Actor)
            {
                // The caller and the session's creator: the egress proxy asks on behalf of a session
                // whose key created it, so that key is the one asking.
                Requesters = [.. new[] { request.Actor, S.CreatedBy }.OfType<string>().Where(a => a.Length > 0).Distinct()],
            });
        // The approver sees the page the agent was on: the silo takes the picture now, without holding the gate up.
        if (S.Desktop)
            GrainFactory.GetGrain<IComputerGrain>(Id).CaptureForApproval(id).Ignore();
        return new(GateDecision.Pending, classification, id, deadline);
    }

    public async Task<ActionClassification?> Classify(ActionRequest request)
    {
        if (!Exists)
            return null;
        var now = clock.GetUtcNow();
        if (_policy is null || now - _policyReadAt > PolicyCacheTime)
        {
            _policy = (await GrainFactory.GetGrain<ITenantGrain>(S.Tenant!).Get())?.Approvals ?? ApprovalPolicy.Default;
            _policyReadAt = now;
        }
        return gate.Classify(request, _policy);
    }

    private Task WithdrawApprovals() =>
        GrainFactory.GetGrain<IApprovalInboxGrain>(S.Tenant!).WithdrawSession(Id, SessionEndedNote);
}
