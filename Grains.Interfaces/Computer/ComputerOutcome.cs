namespace AgentCluster.Grains.Computer;

public enum ComputerStatus
{
    /// <summary>Carried out; a screenshot's PNG, or the cursor where the action left it.</summary>
    Done,

    /// <summary>Held by the gate: the action waits for the approval named in the outcome.</summary>
    Pending,
    NotFound,

    /// <summary>The session is not Ready (starting, ended, failed, lost).</summary>
    Ended,

    /// <summary>The session runs no desktop: there is no computer to act on.</summary>
    NotDesktop,

    /// <summary>The action's arguments are wrong; nothing was done.</summary>
    Invalid,

    /// <summary>Refused before it reached the browser (a navigate off the session's allowlist).</summary>
    Refused,

    /// <summary>Its approval was denied or expired (or is not one for this action).</summary>
    Denied,

    /// <summary>The session already has as many approvals pending as its tenant allows.</summary>
    TooManyPending,

    /// <summary>The computer server did not answer; if it stays silent, the session is Failed.</summary>
    Unavailable,
}

/// <summary>What an action came to, and why when it was not done.</summary>
[GenerateSerializer, Immutable]
public sealed record ComputerOutcome([property: Id(0)] ComputerStatus Status, [property: Id(1)] string? Error = null)
{
    /// <summary>The risk the gate gave the action.</summary>
    [Id(2)] public string Risk { get; init; } = "";

    /// <summary>The approval it waits for (Pending), went through (Done) or was refused by (Denied).</summary>
    [Id(3)] public string? ApprovalId { get; init; }
    [Id(4)] public DateTimeOffset? Deadline { get; init; }

    /// <summary>A screenshot's PNG, and its size.</summary>
    [Id(5)] public byte[]? Png { get; init; }
    [Id(6)] public int Width { get; init; }
    [Id(7)] public int Height { get; init; }

    /// <summary>The cursor after the action, when the server said.</summary>
    [Id(8)] public int? CursorX { get; init; }
    [Id(9)] public int? CursorY { get; init; }
}
