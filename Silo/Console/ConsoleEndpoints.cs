using AgentCluster.Silo.Admin;
using AgentCluster.Silo.Approvals;
using AgentCluster.Silo.Hosting;
using static AgentCluster.Silo.Console.ConsoleHttp;
using static AgentCluster.Silo.Console.ConsolePages;

namespace AgentCluster.Silo.Console;

/// <summary>
/// The operator's console on the admin port: Sessions, Fleet and Audit pages here, Approvals at
/// <c>/approvals/</c> and the Orleans dashboard ("Grains") at <c>/dashboard/</c>, one navigation bar
/// over all of them. Any signed-in key opens the pages; each call checks the key's roles and
/// tenant as the gRPC API does (another tenant's session is 404, like a missing one).
/// </summary>
internal static class ConsoleEndpoints
{
    public static void MapConsole(this WebApplication app, int port)
    {
        var console = app.MapGroup("/console").RequireLocalPort(port).RequireAuthorization(FrontDoor.SignedInPolicy).WithConsoleHeaders();
        console.MapGet("/", () => Results.Redirect("/console/sessions"));
        console.MapGet("/sessions", (HttpContext http) => Page(http, "Sessions", "ConsoleShell/sessions.main.html", "/console/assets/sessions.js"));
        console.MapGet("/sessions/{id}", (HttpContext http, ConsoleSessions sessions, string id) => Answer(async () =>
        {
            await sessions.Visible(Caller(http), id);
            return Page(http, "Session", "ConsoleShell/session.main.html", "/console/assets/session.js");
        }));
        console.MapGet("/fleet", (HttpContext http) => Page(http, "Fleet", "ConsoleShell/fleet.main.html", "/console/assets/fleet.js"));
        console.MapGet("/audit", (HttpContext http) => Page(http, "Audit", "ConsoleShell/audit.main.html", "/console/assets/audit.js"));
        // Open to all: they hold no data, and the sign-in page needs the shell and its own script before anyone is signed in.
        foreach (var file in new[] { "shell.css", "shell.js", "sessions.js", "session.js", "fleet.js", "audit.js", "signin.js" })
            console.MapGet($"/assets/{file}", () => Asset($"ConsoleShell/{file}")).AllowAnonymous();

        var api = console.MapGroup("/api");
        api.MapGet("/me", (HttpContext http) => Results.Json(Approvals.ConsoleKey.Of(Caller(http))));
        api.MapGet("/sessions", (HttpContext http, ConsoleSessions sessions, [AsParameters] SessionFilter filter) =>
            Answer(() => sessions.Page(Caller(http), filter)));
        api.MapGet("/sessions/stream", (HttpContext http, ConsoleSessions sessions, [AsParameters] SessionFilter filter) =>
            sessions.Stream(http, Caller(http), filter));
        api.MapGet("/sessions/{id}", (HttpContext http, ConsoleSessions sessions, string id, CancellationToken ct) =>
            Answer(() => sessions.Detail(Caller(http), id, ct)));
        api.MapGet("/sessions/{id}/screen.png", (HttpContext http, ConsoleSessions sessions, string id, double? scale) =>
            Answer(() => sessions.Screen(Caller(http), id, scale)));
        api.MapPost("/sessions/{id}/kill", (HttpContext http, ConsoleSessions sessions, string id) =>
            Intended(http, () => Answer(() => sessions.Kill(Caller(http), id))));

        api.MapGet("/hosts", (HttpContext http, ConsoleFleet fleet) => Answer(() => fleet.Hosts(Caller(http))));
        api.MapPost("/hosts/{name}/drain", (HttpContext http, ConsoleFleet fleet, string name) =>
            Intended(http, () => Answer(() => fleet.SetDraining(Caller(http), name, drain: true))));
        api.MapPost("/hosts/{name}/undrain", (HttpContext http, ConsoleFleet fleet, string name) =>
            Intended(http, () => Answer(() => fleet.SetDraining(Caller(http), name, drain: false))));

        api.MapGet("/audit", (HttpContext http, ConsoleAudit audit, [AsParameters] AuditFilter filter, CancellationToken ct) =>
            Answer(() => audit.Rows(Caller(http), filter, ct)));
        api.MapGet("/audit/verify", (HttpContext http, ConsoleAudit audit, string? tenant, string? anchor, CancellationToken ct) =>
            Answer(() => audit.Verify(Caller(http), tenant ?? "", anchor ?? "", ct)));
    }
}
