using System.Collections.Immutable;

namespace AgentCluster.Grains.Approvals;

public enum ApprovalStatus
{
    Pending,
    Approved,
    Denied,

    /// <summary>Nobody decided before the deadline: a denial, never an approval.</summary>
    Expired,
}

/// <summary>What an approver is asked, fixed when the approval opens.</summary>
/// <param name="PayloadSha256">Lower-case hex SHA-256 of the exact payload bytes: the only payload an approval lets through.</param>
/// <param name="RedactedPayload">The payload as an approver may see it, configured fields replaced.</param>
[GenerateSerializer, Immutable]
public sealed record ApprovalRequest(
    [property: Id(0)] string Tenant,
    [property: Id(1)] string Session,
    [property: Id(2)] string Action,
    [property: Id(3)] ActionClassification Classification,
    [property: Id(4)] string PayloadSha256,
    [property: Id(5)] string RedactedPayload,
    [property: Id(6)] DateTimeOffset Deadline,
    [property: Id(7)] string RequestedBy)
{
    /// <summary>
    /// Who asked for the action, directly or through a session they created: none of them may decide
    /// it (four eyes), whatever roles their key holds. Empty for approvals opened before it was kept.
    /// </summary>
    [Id(8)]
    public ImmutableArray<string> Requesters { get; init; } = [];
}

[GenerateSerializer, Immutable]
public sealed record ApprovalInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] ApprovalRequest Request,
    [property: Id(2)] ApprovalStatus Status,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] string? DecidedBy,
    [property: Id(5)] DateTimeOffset? DecidedAt,
    [property: Id(6)] string? Note,
    [property: Id(7)] string? Outcome)
{
    public bool IsDecided => Status != ApprovalStatus.Pending;
}

public enum DecisionStatus
{
    Decided,

    /// <summary>The first decision (or the deadline) already won; nothing changed.</summary>
    AlreadyDecided,
    NotFound,

    /// <summary>The decider asked for the action (four eyes); nothing changed.</summary>
    Requester,
}

[GenerateSerializer, Immutable]
public sealed record DecisionResult(
    [property: Id(0)] DecisionStatus Status,
    [property: Id(1)] ApprovalInfo? Approval);

public enum CompletionStatus
{
    Accepted,
    NotApproved,
    PayloadMismatch,
    AlreadyCompleted,
    NotFound,
}

/// <summary>The tenant's approval settings: deadline, risk overrides within the admin's floors, out-of-band notice.</summary>
/// <remarks>
/// A plain dictionary, never changed once built: the tenant's grain state holds this record, and the
/// ADO.NET storage's JSON (with reference preservation) cannot read immutable collections back.
/// </remarks>
[GenerateSerializer, Immutable]
public sealed record ApprovalPolicy(
    [property: Id(0)] TimeSpan Timeout,
    [property: Id(1)] Dictionary<string, RiskLevel> RiskOverrides,
    [property: Id(2)] string? WebhookUrl)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(300);
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);
    public const int DefaultMaxPending = 5;
    public const int MaxPendingCeiling = 1000;

    /// <summary>Approvals one session may have pending at once; past it, a new irreversible action is refused at once, never held.</summary>
    [Id(3)]
    public int MaxPendingPerSession { get; init; } = DefaultMaxPending;

    /// <summary>A new instance each time: its overrides are a mutable map, never to be shared between tenants.</summary>
    public static ApprovalPolicy Default =>
        new(DefaultTimeout, new Dictionary<string, RiskLevel>(StringComparer.Ordinal), null);
}
