using System.Text;
using AgentCluster.Silo.Api;
using AgentCluster.Silo.Authentication;

namespace AgentCluster.Silo.Console;

/// <summary>
/// The navigation bar over every console page: only the pages the signed-in key may open, by the
/// same rules as the front door's list, so no link leads a key to a 403; and Sign out for a browser
/// signed in by cookie. Nobody signed in (the sign-in page) sees no links.
/// </summary>
internal static class ConsoleNavigation
{
    public static string Bar(Caller? caller, bool signedInByCookie)
    {
        if (caller is null)
            return "";
        var links = new List<(string Href, string Text)> { ("/console/sessions", "Sessions") };
        if (caller is not null && ApprovalDesk.Readers.Any(caller.Roles.Contains))
            links.Add(("/approvals/", "Approvals"));
        if (caller?.IsClusterAdmin == true)
            links.Add(("/console/fleet", "Fleet"));
        links.Add(("/console/audit", "Audit"));
        if (caller?.IsClusterAdmin == true)
            links.Add(("/dashboard/", "Grains"));
        var bar = new StringBuilder();
        foreach (var (href, text) in links)
            bar.Append("    <a href=\"").Append(href).Append("\">").Append(text).Append("</a>\n");
        if (signedInByCookie)
            bar.Append("    <button type=\"button\" id=\"signout\" class=\"signout\">Sign out</button>\n");
        return bar.ToString();
    }
}
