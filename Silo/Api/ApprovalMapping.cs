using AgentCluster.Grains.Approvals;
using Google.Protobuf.WellKnownTypes;
using Proto = AgentCluster.Api.V1;

namespace AgentCluster.Silo.Api;

internal static class ApprovalMapping
{
    public static string Name(ApprovalStatus status) => status.ToString().ToLowerInvariant();

    public static Proto.Approval ToProto(ApprovalInfo a) => new()
    {
        Id = a.Id,
        Tenant = a.Request.Tenant,
        Session = a.Request.Session,
        Action = a.Request.Action,
        Risk = a.Request.Classification.Risk.ToString(),
        Reason = a.Request.Classification.Reason,
        Status = Name(a.Status),
        PayloadSha256 = a.Request.PayloadSha256,
        RedactedPayload = a.Request.RedactedPayload,
        CreatedAt = Timestamp.FromDateTimeOffset(a.CreatedAt),
        Deadline = Timestamp.FromDateTimeOffset(a.Request.Deadline),
        DecidedBy = a.DecidedBy ?? "",
        DecidedAt = a.DecidedAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
        Note = a.Note ?? "",
        RequestedBy = a.Request.RequestedBy,
        Outcome = a.Outcome ?? "",
        Summary = { Approvals.PayloadSummary.Of(a.Request.RedactedPayload) },
    };
}
