namespace AgentCluster.Grains.Approvals;

public enum GateDecision
{
    Allowed,

    /// <summary>Held: the action waits for the approval named in the answer.</summary>
    Pending,

    /// <summary>The session is not live; nothing of it goes through.</summary>
    SessionEnded,

    /// <summary>The session already has as many approvals pending as its tenant allows: refused, not held.</summary>
    TooManyPending,
}

/// <summary>The gate's answer to one tool call.</summary>
[GenerateSerializer, Immutable]
public sealed record ActionAuthorization(
    [property: Id(0)] GateDecision Decision,
    [property: Id(1)] ActionClassification Classification,
    [property: Id(2)] string? ApprovalId,
    [property: Id(3)] DateTimeOffset? Deadline);

/// <summary>A tool call to gate. The payload is the exact bytes the orchestrator will execute.</summary>
[GenerateSerializer, Immutable]
public sealed record ActionRequest(
    [property: Id(0)] string Action,
    [property: Id(1)] byte[] Payload,
    [property: Id(2)] string Actor);
