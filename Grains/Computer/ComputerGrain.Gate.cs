using AgentCluster.Grains.Approvals;

namespace AgentCluster.Grains.Computer;

/// <summary>The session's approval gate, as every computer action passes it.</summary>
public sealed partial class ComputerGrain
{
    /// <summary>Approvals being carried out now: one approval lets one action through, even when asked twice at once.</summary>
    private readonly HashSet<string> _approvalsInUse = new(StringComparer.Ordinal);

    /// <summary>
    /// Done (with the risk, and the approval it went through) when the action may be carried out;
    /// otherwise why not. Reversible actions take the session's read-only fast path, as the egress
    /// proxy's do; anything stricter goes through <c>Authorize</c>, which records it and may hold it.
    /// </summary>
    private async Task<ComputerOutcome> Gate(ComputerAction action, string actor, string? approvalId)
    {
        var request = new ActionRequest(ComputerDescription.GateName(action.Kind), ComputerDescription.GatePayload(action), actor);
        if (approvalId is not null)
            return await Approved(request, approvalId);
        var classification = await Session.Classify(request);
        if (classification is null)
            return new(ComputerStatus.NotFound, $"session {Id} not found");
        if (classification.Risk == RiskLevel.Reversible)
            return new(ComputerStatus.Done) { Risk = classification.Risk.ToString() };

        var answer = await Session.Authorize(request);
        var risk = answer?.Classification.Risk.ToString() ?? "";
        return answer?.Decision switch
        {
            null => new(ComputerStatus.NotFound, $"session {Id} not found"),
            GateDecision.Allowed => new(ComputerStatus.Done) { Risk = risk },
            GateDecision.Pending => new(ComputerStatus.Pending) { Risk = risk, ApprovalId = answer.ApprovalId, Deadline = answer.Deadline },
            GateDecision.TooManyPending => new(ComputerStatus.TooManyPending,
                $"session {Id} has as many approvals pending as its tenant allows") { Risk = risk },
            _ => new(ComputerStatus.Ended, $"session {Id} is not Ready") { Risk = risk },
        };
    }

    /// <summary>Through only on an approved, unused approval opened for exactly this action of this session.</summary>
    private async Task<ComputerOutcome> Approved(ActionRequest request, string approvalId)
    {
        ComputerOutcome Denied(string why, string risk = "") =>
            new(ComputerStatus.Denied, $"approval {approvalId} {why}") { ApprovalId = approvalId, Risk = risk };

        var approval = ApprovalIds.IsValid(approvalId) ? await GrainFactory.GetGrain<IApprovalGrain>(approvalId).Get() : null;
        if (approval is null || approval.Request.Session != Id || approval.Request.Action != request.Action
            || approval.Request.PayloadSha256 != ApprovalIds.PayloadHash(request.Payload))
            return Denied($"is not one for this {request.Action} of session {Id}");
        var risk = approval.Request.Classification.Risk.ToString();
        if (approval.Status != ApprovalStatus.Approved)
            return Denied($"was {approval.Status.ToString().ToLowerInvariant()}", risk);
        if (approval.Outcome is not null || !_approvalsInUse.Add(approvalId))
            return Denied("was already used", risk);
        return new(ComputerStatus.Done) { Risk = risk, ApprovalId = approvalId };
    }

    /// <summary>The approval records that its action ran, as an orchestrator's Complete would.</summary>
    private Task Complete(string approvalId, ComputerAction action, string actor, bool succeeded) =>
        GrainFactory.GetGrain<IApprovalGrain>(approvalId).Complete(
            ApprovalIds.PayloadHash(ComputerDescription.GatePayload(action)), succeeded ? "succeeded" : "failed", actor);
}
