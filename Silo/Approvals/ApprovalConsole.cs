using AgentCluster.Grains.Approvals;
using AgentCluster.Grains.Audit;
using AgentCluster.Silo.Api;
using AgentCluster.Silo.Authentication;
using AgentCluster.Silo.Hosting;
using AgentCluster.Silo.Console;
using static AgentCluster.Silo.Console.ConsoleHttp;

namespace AgentCluster.Silo.Approvals;

/// <summary>
/// The approvals page of the console: the pending approvals of the key's tenant (a cluster admin's:
/// every tenant's) with approve and deny, the screen each desktop session showed when it asked, and
/// the history of closed ones. The browser signs in on the sign-in page (<see cref="Admin.SignInPage"/>)
/// or sends an API key itself. The decisions are the approver API's own (<see cref="ApprovalDesk"/>), so the same rules hold.
/// </summary>
internal static class ApprovalConsole
{
    public const string ReaderPolicy = "ApprovalReader";

    /// <summary>How many closed approvals the history tab shows, newest first.</summary>
    private const int HistorySize = 50;

    /// <summary>How far back in the audit the history looks for them.</summary>
    private const int HistoryScan = 5000;

    public static void MapApprovalConsole(this WebApplication app, int port)
    {
        var console = app.MapGroup("/approvals").RequireLocalPort(port).RequireAuthorization(ReaderPolicy).WithConsoleHeaders();
        console.MapGet("/", (HttpContext http) => ConsolePages.Page(http, "Approvals", "Console/console.main.html", "/approvals/console.css", "/approvals/console.js"));
        console.MapGet("/console.js", () => Asset("Console/console.js"));
        console.MapGet("/console.css", () => Asset("Console/console.css"));
        console.MapGet("/api/me", (HttpContext http) => Results.Json(ConsoleKey.Of(Caller(http))));
        console.MapGet("/api/pending", (HttpContext http, ApprovalDesk desk, IGrainFactory grains, string? tenant) =>
            Answer(async () => await Cards(grains, await desk.Pending(Caller(http), tenant ?? ""))));
        console.MapGet("/api/history", (HttpContext http, IGrainFactory grains, IAuditStore store, CancellationToken ct) =>
            Answer(async () => await Cards(grains, await History(grains, store, Caller(http).Require(ApprovalDesk.Readers), ct))));
        console.MapGet("/api/{id}/screen.png", (HttpContext http, ApprovalDesk desk, IGrainFactory grains, string id) =>
            Answer(async () =>
            {
                var approval = await desk.Get(Caller(http), id);
                return await grains.GetGrain<IApprovalGrain>(approval.Id).GetScreen() is { } screen
                    ? Png(screen.Png)
                    : throw Authentication.Caller.NotFound("screen of approval", id);
            }));
        console.MapPost("/api/{id}/approve", (HttpContext http, ApprovalDesk desk, string id, ConsoleDecision? body) =>
            Decide(http, desk, id, approve: true, body));
        console.MapPost("/api/{id}/deny", (HttpContext http, ApprovalDesk desk, string id, ConsoleDecision? body) =>
            Decide(http, desk, id, approve: false, body));
    }

    private static Task<IResult> Decide(HttpContext http, ApprovalDesk desk, string id, bool approve, ConsoleDecision? body) =>
        Intended(http, () => Answer(async () => ConsoleApproval.From(await desk.Decide(Caller(http), id, approve, body?.Note ?? ""), false)));

    private static async Task<List<ConsoleApproval>> Cards(IGrainFactory grains, IEnumerable<ApprovalInfo> approvals) =>
        [.. await Task.WhenAll(approvals.Select(async a => ConsoleApproval.From(a, await grains.GetGrain<IApprovalGrain>(a.Id).HasScreen())))];

    /// <summary>The newest closed approvals the key may see, found through their audit rows (the inbox holds only pending ones).</summary>
    private static async Task<IReadOnlyList<ApprovalInfo>> History(IGrainFactory grains, IAuditStore store, Caller caller, CancellationToken ct)
    {
        var ids = new List<string>();
        var scanned = 0;
        await foreach (var row in store.ReadAsync(new AuditQuery(caller.IsClusterAdmin ? null : caller.Tenant, Newest: true), ct))
        {
            if (++scanned > HistoryScan || ids.Count == HistorySize)
                break;
            if (row.Kind is AuditKinds.ApprovalDecided or AuditKinds.ApprovalWithdrawn && caller.CanSee(row.Tenant) && !ids.Contains(row.Subject))
                ids.Add(row.Subject);
        }
        var approvals = await Task.WhenAll(ids.Select(id => grains.GetGrain<IApprovalGrain>(id).Get()));
        return [.. approvals.OfType<ApprovalInfo>().Where(a => a.IsDecided && caller.CanSee(a.Request.Tenant))];
    }
}

internal sealed record ConsoleDecision(string? Note);

/// <summary>Who is signed in, so the page can say what the key cannot do rather than look empty.</summary>
internal sealed record ConsoleKey(string KeyId, string Tenant, IReadOnlyList<string> Roles, bool CanDecide, bool ClusterAdmin)
{
    public static ConsoleKey Of(Caller caller) =>
        new(caller.KeyId, caller.Tenant, [.. caller.Roles.Order(StringComparer.Ordinal)], ApprovalDesk.CanDecide(caller), caller.IsClusterAdmin);
}

/// <summary>An approval as the console shows it: the redacted payload only, as text, and its readable summary.</summary>
internal sealed record ConsoleApproval(
    string Id, string Tenant, string Session, string Action, string Risk, string Reason, string Status,
    string PayloadSha256, string RedactedPayload, DateTimeOffset CreatedAt, DateTimeOffset Deadline,
    string? DecidedBy, string? Note, IReadOnlyList<string> Summary, bool HasScreen, DateTimeOffset? DecidedAt)
{
    public static ConsoleApproval From(ApprovalInfo a, bool hasScreen) => new(
        a.Id, a.Request.Tenant, a.Request.Session, a.Request.Action, a.Request.Classification.Risk.ToString(),
        a.Request.Classification.Reason, ApprovalMapping.Name(a.Status), a.Request.PayloadSha256, a.Request.RedactedPayload,
        a.CreatedAt, a.Request.Deadline, a.DecidedBy, a.Note, PayloadSummary.Of(a.Request.RedactedPayload), hasScreen, a.DecidedAt);
}
