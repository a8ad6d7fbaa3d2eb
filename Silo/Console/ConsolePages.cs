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
        Results.Content(Html(title, ConsoleHttp.Text(mainResource), assets, Caller.FromPrincipal(http.User)), "text/html; charset=utf-8");

    public static string Html(string title, string main, IEnumerable<string> assets, Caller? caller)
    {
        var head = string.Concat(assets.Select(a => a.EndsWith(".css", StringComparison.Ordinal)
            ? $"  <link rel=\"stylesheet\" href=\"{a}\">\n"
            : $"  <script src=\"{a}\" defer></script>\n"));
        return ConsoleHttp.Text("ConsoleShell/shell.html")
            .Replace("{title}", WebUtility.HtmlEncode(title), StringComparison.Ordinal)
            .Replace("{head}", head, StringComparison.Ordinal)
            .Replace("{nav}", ConsoleNavigation.Bar(caller), StringComparison.Ordinal)
            .Replace("{main}", main, StringComparison.Ordinal);
    }
}
