namespace AgentCluster.Grains.Approvals;

/// <summary>
/// How far an action can be undone. The order is the order of strictness: code compares levels
/// with <c>&lt;</c> and takes the maximum when two rules disagree.
/// </summary>
[GenerateSerializer]
public enum RiskLevel
{
    /// <summary>Undoable or without side effects: goes through.</summary>
    Reversible = 0,

    /// <summary>Goes through, with the redacted payload and a revert hint in the audit.</summary>
    RecoverableWithAudit = 1,

    /// <summary>Waits for a human decision; no decision in time means denied.</summary>
    Irreversible = 2,
}
