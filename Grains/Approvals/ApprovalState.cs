namespace AgentCluster.Grains.Approvals;

[GenerateSerializer]
public sealed class ApprovalState
{
    [Id(0)] public ApprovalRequest? Request { get; set; }
    [Id(1)] public ApprovalStatus Status { get; set; }
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public string? DecidedBy { get; set; }
    [Id(4)] public DateTimeOffset? DecidedAt { get; set; }
    [Id(5)] public string? Note { get; set; }
    [Id(6)] public string? Outcome { get; set; }
}
