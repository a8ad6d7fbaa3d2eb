using System.Text.RegularExpressions;
using AgentCluster.Client.Cli;
using Grpc.Core;

namespace AgentCluster.Client.Errors;

/// <summary>How an exception ends a run: its exit code and the single stderr line that explains it.</summary>
internal sealed partial record Failure(int ExitCode, string Message)
{
    public string Line => "agentctl: " + OneLine(Message);

    /// <param name="apiKey">Where the key sent came from, or where none was found; added to an Unauthenticated answer.</param>
    public static Failure From(Exception exception, string endpoint, ApiKeyOrigin? apiKey = null) => exception switch
    {
        UsageException e => new(ExitCodes.Usage, e.Message),
        AuditBrokenException e => new(ExitCodes.AuditBroken, e.Message),
        ActionDeniedException e => new(ExitCodes.ActionDenied, e.Message),
        SessionFailedException e => new(ExitCodes.Failure, e.Message),
        RpcException { StatusCode: StatusCode.Unauthenticated } e when apiKey is not null && FromRpc(e, endpoint) is var f =>
            f with { Message = apiKey.Found ? $"{f.Message} (sent {apiKey.Description})" : $"{e.StatusCode}: {apiKey.Description}" },
        RpcException e => FromRpc(e, endpoint),
        OperationCanceledException => new(ExitCodes.Cancelled, "cancelled"),
        _ => new(ExitCodes.Failure, "error: " + exception.Message),
    };

    public static int ExitCodeOf(StatusCode status) => status switch
    {
        StatusCode.OK => ExitCodes.Success,
        StatusCode.InvalidArgument or StatusCode.OutOfRange => ExitCodes.Usage,
        StatusCode.Unauthenticated => ExitCodes.Unauthenticated,
        StatusCode.PermissionDenied => ExitCodes.PermissionDenied,
        StatusCode.NotFound => ExitCodes.NotFound,
        StatusCode.AlreadyExists => ExitCodes.AlreadyExists,
        StatusCode.Unavailable => ExitCodes.Unavailable,
        StatusCode.DeadlineExceeded => ExitCodes.DeadlineExceeded,
        StatusCode.ResourceExhausted => ExitCodes.ResourceExhausted,
        StatusCode.FailedPrecondition => ExitCodes.FailedPrecondition,
        StatusCode.Cancelled => ExitCodes.Cancelled,
        _ => ExitCodes.Failure,
    };

    private static Failure FromRpc(RpcException e, string endpoint)
    {
        var code = ExitCodeOf(e.StatusCode);

        // A transport failure carries the client-side exception; a server saying "Unavailable" does not.
        if (e.StatusCode == StatusCode.Unavailable && e.Status.DebugException is { } cause)
        {
            return new(code, $"cannot reach {endpoint} ({Innermost(cause).Message})");
        }

        var detail = e.Status.Detail;
        return new(code, string.IsNullOrWhiteSpace(detail) ? e.StatusCode.ToString() : $"{e.StatusCode}: {detail}");
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    private static string OneLine(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"[\s\p{Cc}]+")]
    private static partial Regex Whitespace();
}
