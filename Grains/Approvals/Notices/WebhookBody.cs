using System.Text.Json;

namespace AgentCluster.Grains.Approvals.Notices;

/// <summary>The JSON a tenant's webhook receives for a new pending approval. Redacted, like every view of a payload.</summary>
public static class WebhookBody
{
    public const string PendingType = "approval.pending";

    public static byte[] Pending(ApprovalInfo a) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
    {
        ["type"] = PendingType,
        ["approvalId"] = a.Id,
        ["tenant"] = a.Request.Tenant,
        ["session"] = a.Request.Session,
        ["action"] = a.Request.Action,
        ["risk"] = a.Request.Classification.Risk.ToString(),
        ["reason"] = a.Request.Classification.Reason,
        ["payloadSha256"] = a.Request.PayloadSha256,
        ["redactedPayload"] = a.Request.RedactedPayload,
        ["createdAt"] = a.CreatedAt.ToString("O"),
        ["deadline"] = a.Request.Deadline.ToString("O"),
    });
}
