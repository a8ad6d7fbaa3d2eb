using System.Net;
using System.Text;
using AgentCluster.Silo.Api;
using AgentCluster.Silo.Authentication;
using AgentCluster.Silo.Console;
using AgentCluster.Silo.Hosting;

namespace AgentCluster.Silo.Admin;

/// <summary>
/// <c>/</c> on the admin port: after the sign-in (<see cref="SignInPage"/>, or an API key in the
/// Authorization header), a page of links to what that key may open, and a word on what it may not.
/// </summary>
internal static class FrontDoor
{
    public const string SignedInPolicy = "AdminSignedIn";

    public static void MapFrontDoor(this WebApplication app, int adminPort) =>
        app.MapGet("/", (HttpContext http) =>
        {
            ConsoleHttp.Secure(http.Response.Headers);
            return Results.Content(Page(http, Caller.FromPrincipal(http.User)!), "text/html; charset=utf-8");
        }).RequireLocalPort(adminPort).RequireAuthorization(SignedInPolicy);

    internal static string Page(HttpContext http, Caller caller)
    {
        var readsApprovals = ApprovalDesk.Readers.Any(caller.Roles.Contains);
        var links = new List<(string Href, string Text)> { ("/console/sessions", "Sessions: live sessions and their screens") };
        if (readsApprovals)
        {
            links.Add(("/approvals/", ApprovalDesk.CanDecide(caller)
                ? "Approvals: decide held actions"
                : "Approvals: see held actions (this key has no approver role, so it cannot decide them)"));
        }
        if (caller.IsClusterAdmin)
        {
            links.Add(("/console/fleet", "Fleet: Docker hosts, their health and load"));
            links.Add(("/dashboard/", "Dashboard: silos, grains and their load"));
        }
        links.Add(("/console/audit", "Audit: the log and its chain check"));
        links.Add(("/healthz", "Health"));
        links.Add(("/metrics", "Metrics (Prometheus)"));

        var html = new StringBuilder("<main id=\"content\"><h1>AgentCluster</h1><p>Signed in with ").Append(E(caller.KeyId)).Append(" (tenant ").Append(E(caller.Tenant))
            .Append("; roles ").Append(E(string.Join(", ", caller.Roles.Order(StringComparer.Ordinal)))).Append(").</p><ul>");
        foreach (var (href, text) in links)
            html.Append("<li><a href=\"").Append(href).Append("\">").Append(E(text)).Append("</a></li>");
        html.Append("</ul>");
        if (!readsApprovals)
            html.Append("<p>Approvals need a key with the approver, admin or auditor role.</p>");
        if (!caller.IsClusterAdmin)
            html.Append("<p>The dashboard needs a cluster-admin key.</p>");
        return ConsolePages.Html("Home", html.Append("</main>").ToString(), [], http);
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
