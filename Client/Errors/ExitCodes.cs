namespace AgentCluster.Client.Errors;

/// <summary>
/// agentctl's exit codes: one per failure a script may want to tell apart,
/// so callers can branch without parsing stderr.
/// </summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int Unauthenticated = 3;
    public const int PermissionDenied = 4;
    public const int NotFound = 5;
    public const int AlreadyExists = 6;
    public const int Unavailable = 7;
    public const int DeadlineExceeded = 8;
    public const int ResourceExhausted = 9;
    public const int FailedPrecondition = 10;

    // Not a failure to run: the run worked and found that an audit chain does not verify.
    public const int AuditBroken = 11;

    // Not a failure to run either: the wait worked and the answer is no (denied, or expired undecided).
    public const int ActionDenied = 12;

    // What a shell reports for a process stopped by SIGINT, so Ctrl+C looks the same either way.
    public const int Cancelled = 130;
}
