namespace AgentCluster.Grains.Approvals;

/// <summary>The risk of one action and why, in a few words fit for the audit log (never the payload itself).</summary>
[GenerateSerializer, Immutable]
public sealed record ActionClassification(
    [property: Id(0)] RiskLevel Risk,
    [property: Id(1)] string Reason)
{
    public static ActionClassification Reversible(string reason) => new(RiskLevel.Reversible, reason);

    public static ActionClassification Irreversible(string reason) => new(RiskLevel.Irreversible, reason);
}
