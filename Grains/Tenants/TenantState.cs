namespace AgentCluster.Grains.Tenants;

[GenerateSerializer]
public sealed class TenantState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public TenantQuotas Quotas { get; set; } = TenantQuotas.Default;
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public List<string> KeyIds { get; set; } = [];
    [Id(4)] public string? BootstrapKeyId { get; set; }
    [Id(5)] public HashSet<string> LiveSessions { get; set; } = [];
    [Id(6)] public List<string> Sessions { get; set; } = [];
    [Id(7)] public Approvals.ApprovalPolicy Approvals { get; set; } = Grains.Approvals.ApprovalPolicy.Default;
}
