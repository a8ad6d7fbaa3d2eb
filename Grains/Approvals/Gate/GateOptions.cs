namespace AgentCluster.Grains.Approvals.Gate;

/// <summary>The <c>AgentCluster:Approvals</c> section, as far as the gate and approvers' views go.</summary>
public sealed class GateOptions
{
    public const string Section = "AgentCluster:Approvals";

    /// <summary>Payload fields (any depth, case-insensitive) whose values an approver and the audit never see.</summary>
    public List<string> RedactFields { get; set; } =
    [
        "password", "passwd", "secret", "token", "access_token", "refresh_token", "api_key", "apikey",
        "authorization", "cookie", "card_number", "cvc", "cvv", "ssn", "private_key",
    ];

    /// <summary>How to undo a RecoverableWithAudit action, recorded with it in the audit.</summary>
    public Dictionary<string, string> RevertHints { get; set; } = new(StringComparer.Ordinal)
    {
        ["stripe.refund"] = "a refund returns money already taken; to reverse it, ask the customer to pay again (a new stripe.charge, which needs approval)",
    };

    public const string NoRevertHint = "no automatic revert: undo by hand from the redacted payload in this record";

    /// <summary>The largest payload the gate reads; a larger one is refused before classification.</summary>
    public int MaxPayloadBytes { get; set; } = 64 * 1024;
}
