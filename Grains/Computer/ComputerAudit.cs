using AgentCluster.Grains.Audit;

namespace AgentCluster.Grains.Computer;

/// <summary>
/// The <c>computer.action</c> row of one action: its description (typed text only as length and
/// hash prefix), the gate's risk, the approval it went through, and how it ended.
/// </summary>
public static class ComputerAudit
{
    public static AuditEvent Row(string tenant, string actor, string session, ComputerAction action, ComputerOutcome outcome)
    {
        var detail = ComputerDescription.Fields(action).Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).ToList();
        detail.Add(new("gate", ComputerDescription.GateName(action.Kind)));
        if (outcome.Risk.Length > 0)
            detail.Add(new("risk", outcome.Risk));
        if (outcome.ApprovalId is { } approval)
            detail.Add(new("approval", approval));
        if (outcome.CursorX is { } x && outcome.CursorY is { } y)
            detail.Add(new("cursor", $"{x},{y}"));
        var result = outcome.Status switch
        {
            ComputerStatus.Done => AuditOutcomes.Success,
            ComputerStatus.Refused or ComputerStatus.Denied or ComputerStatus.TooManyPending => AuditOutcomes.Denied,
            _ => AuditOutcomes.Failed,
        };
        return new AuditEvent(tenant, actor, AuditKinds.ComputerAction, session, result, outcome.Error ?? "",
            AuditEvent.NoDetail.AddRange(detail));
    }
}
