namespace AgentCluster.Grains.Approvals.Notices;

/// <summary><c>AgentCluster:Approvals:Webhook</c>: how hard the sender tries.</summary>
public sealed class WebhookOptions
{
    public const string Section = "AgentCluster:Approvals:Webhook";

    /// <summary>The vault resource that holds a tenant's signing secret. Not a valid secret name, so no session can be granted it.</summary>
    public const string SecretResource = "approvals.webhook";

    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait before the second attempt; it doubles after each failure.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries in flight at once, across tenants.</summary>
    public int Concurrency { get; set; } = 16;
}
