namespace AgentCluster.Grains.Approvals;

/// <summary>
/// What a desktop session's screen showed when one of its actions was held for approval: taken by
/// the silo, not the agent, so an approver sees the page the agent was on. Shown to approvers only.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ApprovalScreen(
    [property: Id(0)] byte[] Png,
    [property: Id(1)] int Width,
    [property: Id(2)] int Height,
    [property: Id(3)] DateTimeOffset TakenAt);
