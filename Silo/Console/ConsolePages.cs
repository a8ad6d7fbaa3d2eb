using System.Net;
using AgentCluster.Silo.Authentication;

namespace AgentCluster.Silo.Console;

/// <summary>
/// A console page: the shell every page shares (head, stylesheet, navigation bar) around the page's
/// own <c>&lt;main&gt;</c>, with the page's scripts and stylesheets in the head. Nothing is inline:
/// the CSP allows scripts and styles only as files from here.
/// </summary>
internal static class ConsolePages
{
    public static IResult Page(HttpContext http, string title, string mainResource, params string[] assets) =>
        Results.Content(Html(title, ConsoleHttp.Text(mainResource), assets, http), "text/html; charset=utf-8");

    /// <summary>
    /// A page for whoever <paramref name="http"/> is signed in as (nobody on the sign-in page). A
    /// browser signed in by cookie finds its anti-forgery token in <c>&lt;meta name="agc-csrf"&gt;</c>.
    /// </summary>
    public static string Html(string title, string main, IEnumerable<string> assets, HttpContext http)
    {
        var signIn = ConsoleSignIns.Current(http);
        var head = (signIn is null ? "" : $"  <meta name=\"{AntiForgery.MetaName}\" content=\"{WebUtility.HtmlEncode(signIn.AntiForgery)}\">\n")
            + string.Concat(assets.Select(a => a.EndsWith(".css", StringComparison.Ordinal)
                ? $"  <link rel=\"stylesheet\" href=\"{a}\">\n"
                : $"  <script src=\"{a}\" defer></script>\n"));
        return ConsoleHttp.Text("ConsoleShell/shell.html")
            .Replace("{title}", WebUtility.HtmlEncode(title), StringComparison.Ordinal)
            .Replace("{head}", head, StringComparison.Ordinal)
            .Replace("{nav}", ConsoleNavigation.Bar(Caller.FromPrincipal(http.User), signIn is not null), StringComparison.Ordinal)
            .Replace("{main}", main, StringComparison.Ordinal);
    }
}
