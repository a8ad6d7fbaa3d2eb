using AgentCluster.Api.V1;

namespace AgentCluster.Client.Sdk;

/// <summary>An approval as the server reports it; <see cref="Status"/> is pending, approved, denied or expired.</summary>
public sealed record ApprovalInfo(
    string Id,
    string Tenant,
    string Session,
    string Action,
    string Risk,
    string Reason,
    string Status,
    string PayloadSha256,
    string RedactedPayload,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? Deadline,
    string DecidedBy,
    DateTimeOffset? DecidedAt,
    string Note,
    string RequestedBy,
    string Outcome)
{
    public bool IsPending => Status == "pending";

    /// <summary>The redacted payload as a person reads it, one line each (method and URL, headers, body fields).</summary>
    public IReadOnlyList<string> Summary { get; init; } = [];

    internal static ApprovalInfo From(Approval a) => new(
        a.Id, a.Tenant, a.Session, a.Action, a.Risk, a.Reason, a.Status, a.PayloadSha256, a.RedactedPayload,
        ProtoTime.ToDateTimeOffset(a.CreatedAt), ProtoTime.ToDateTimeOffset(a.Deadline), a.DecidedBy,
        ProtoTime.ToDateTimeOffset(a.DecidedAt), a.Note, a.RequestedBy, a.Outcome)
    {
        Summary = [.. a.Summary],
    };
}

/// <summary>The gate's answer: <see cref="Decision"/> is allowed or pending (then <see cref="ApprovalId"/> names what to wait for).</summary>
public sealed record ActionAuthorization(
    string Decision,
    string Risk,
    string Reason,
    string? ApprovalId,
    DateTimeOffset? Deadline,
    string PayloadSha256)
{
    internal static ActionAuthorization From(AuthorizeResponse r) => new(
        r.Decision, r.Risk, r.Reason, r.ApprovalId.Length > 0 ? r.ApprovalId : null, ProtoTime.ToDateTimeOffset(r.Deadline), r.PayloadSha256);
}
