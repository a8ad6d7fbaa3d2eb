namespace AgentCluster.Client.Sdk;

/// <summary>What to change on a tenant; null leaves a setting as it is. An empty <see cref="WebhookUrl"/> removes the webhook.</summary>
public sealed record TenantUpdate(string Name)
{
    public TimeSpan? ApprovalTimeout { get; init; }

    public string? WebhookUrl { get; init; }

    public bool RotateWebhookSecret { get; init; }

    /// <summary>Replaces the whole action → risk map (Reversible, RecoverableWithAudit, Irreversible).</summary>
    public IReadOnlyDictionary<string, string>? RiskOverrides { get; init; }

    /// <summary>Approvals one session may have pending at once (1-1000).</summary>
    public int? MaxPendingApprovals { get; init; }
    /// <summary>A session's CPU when it asks for none, in billionths of a CPU; at most the maximum.</summary>
    public long? DefaultNanoCpus { get; init; }

    /// <summary>The most CPU one session may ask for, in billionths of a CPU (a cluster admin's setting).</summary>
    public long? MaxNanoCpus { get; init; }
}
