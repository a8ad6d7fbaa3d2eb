using System.Reflection;
using AgentCluster.Grains.Approvals;
using AgentCluster.Silo.Api;
using AgentCluster.Silo.Authentication;
using AgentCluster.Silo.Hosting;
using Grpc.Core;

namespace AgentCluster.Silo.Approvals;

/// <summary>
/// The approval console on the admin port: the pending approvals of the key's tenant (a cluster
/// admin's: every tenant's), with approve and deny. The browser signs in with Basic (any user name,
/// the API key as password). The decisions are the approver API's own (<see cref="ApprovalDesk"/>),
/// so the same rules hold.
/// </summary>
internal static class ApprovalConsole
{
    public const string ReaderPolicy = "ApprovalReader";

    /// <summary>A header no cross-site form can send and no cross-origin script may (no CORS here): the CSRF guard.</summary>
    public const string IntentHeader = "X-AgentCluster-Console";

    public static void MapApprovalConsole(this WebApplication app, int port)
    {
        var console = app.MapGroup("/approvals").RequireLocalPort(port).RequireAuthorization(ReaderPolicy);
        console.AddEndpointFilter(async (context, next) =>
        {
            var headers = context.HttpContext.Response.Headers;
            headers.CacheControl = "no-store";
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'none'";
            headers["Referrer-Policy"] = "no-referrer";
            return await next(context);
        });
        console.MapGet("/", () => Asset("console.html", "text/html; charset=utf-8"));
        console.MapGet("/console.js", () => Asset("console.js", "text/javascript; charset=utf-8"));
        console.MapGet("/console.css", () => Asset("console.css", "text/css; charset=utf-8"));
        console.MapGet("/api/me", (HttpContext http) => Results.Json(ConsoleKey.Of(Caller(http))));
        console.MapGet("/api/pending", (HttpContext http, ApprovalDesk desk, string? tenant) =>
            Answer(async () => (await desk.Pending(Caller(http), tenant ?? "")).Select(ConsoleApproval.From).ToList()));
        console.MapPost("/api/{id}/approve", (HttpContext http, ApprovalDesk desk, string id, ConsoleDecision? body) =>
            Decide(http, desk, id, approve: true, body));
        console.MapPost("/api/{id}/deny", (HttpContext http, ApprovalDesk desk, string id, ConsoleDecision? body) =>
            Decide(http, desk, id, approve: false, body));
    }

    private static Task<IResult> Decide(HttpContext http, ApprovalDesk desk, string id, bool approve, ConsoleDecision? body) =>
        http.Request.Headers[IntentHeader] != "1"
            ? Task.FromResult(Results.Json(new ConsoleError($"missing the {IntentHeader} header"), statusCode: StatusCodes.Status403Forbidden))
            : Answer(async () => ConsoleApproval.From(await desk.Decide(Caller(http), id, approve, body?.Note ?? "")));

    private static async Task<IResult> Answer<T>(Func<Task<T>> call)
    {
        try
        {
            return Results.Json(await call());
        }
        catch (RpcException e)
        {
            var status = e.StatusCode switch
            {
                StatusCode.InvalidArgument => StatusCodes.Status400BadRequest,
                StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
                StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
                StatusCode.NotFound => StatusCodes.Status404NotFound,
                StatusCode.FailedPrecondition => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status503ServiceUnavailable,
            };
            return Results.Json(new ConsoleError(e.Status.Detail), statusCode: status);
        }
    }

    private static Caller Caller(HttpContext http) =>
        Authentication.Caller.FromPrincipal(http.User) ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "sign in with an API key"));

    private static IResult Asset(string name, string contentType)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Console/{name}")
            ?? throw new InvalidOperationException($"the console asset {name} is not embedded");
        using var reader = new StreamReader(stream);
        return Results.Text(reader.ReadToEnd(), contentType);
    }
}

internal sealed record ConsoleDecision(string? Note);

/// <summary>Who is signed in, so the page can say what the key cannot do rather than look empty.</summary>
internal sealed record ConsoleKey(string KeyId, string Tenant, IReadOnlyList<string> Roles, bool CanDecide, bool ClusterAdmin)
{
    public static ConsoleKey Of(Caller caller) =>
        new(caller.KeyId, caller.Tenant, [.. caller.Roles.Order(StringComparer.Ordinal)], ApprovalDesk.CanDecide(caller), caller.IsClusterAdmin);
}

internal sealed record ConsoleError(string Error);

/// <summary>An approval as the console shows it: the redacted payload only, as text, and its readable summary.</summary>
internal sealed record ConsoleApproval(
    string Id, string Tenant, string Session, string Action, string Risk, string Reason, string Status,
    string PayloadSha256, string RedactedPayload, DateTimeOffset CreatedAt, DateTimeOffset Deadline,
    string? DecidedBy, string? Note, IReadOnlyList<string> Summary)
{
    public static ConsoleApproval From(ApprovalInfo a) => new(
        a.Id, a.Request.Tenant, a.Request.Session, a.Request.Action, a.Request.Classification.Risk.ToString(),
        a.Request.Classification.Reason, ApprovalMapping.Name(a.Status), a.Request.PayloadSha256, a.Request.RedactedPayload,
        a.CreatedAt, a.Request.Deadline, a.DecidedBy, a.Note, PayloadSummary.Of(a.Request.RedactedPayload));
}
