using System.Text;
using System.Text.RegularExpressions;

namespace AgentCluster.Proxy.Approvals;

/// <summary>Names the action of an HTTP request from the configured and built-in rules; pure.</summary>
public sealed class HttpActionRules
{
    private readonly List<(HttpActionRule Rule, Regex Path)> _rules;

    public HttpActionRules(IEnumerable<HttpActionRule> rules)
    {
        _rules = [];
        foreach (var rule in rules)
        {
            if (string.IsNullOrWhiteSpace(rule.Action) || !rule.Path.StartsWith('/') && rule.Path != "**")
                throw new InvalidOperationException(
                    $"{HttpGateOptions.Section}:Rules: every rule needs an Action and a Path starting with / (got '{rule.Path}' → '{rule.Action}')");
            _rules.Add((rule, Glob(rule.Path)));
        }
    }

    /// <summary>The action of the first rule that matches, else <see cref="HttpGateOptions.GenericAction"/>.</summary>
    public string ActionFor(string method, string host, string path)
    {
        var normalisedPath = path.Length == 0 ? "/" : path;
        foreach (var (rule, glob) in _rules)
        {
            if ((rule.Method == "*" || string.Equals(rule.Method, method, StringComparison.OrdinalIgnoreCase))
                && HostMatches(rule.Host, host) && glob.IsMatch(normalisedPath))
                return rule.Action;
        }
        return HttpGateOptions.GenericAction;
    }

    private static bool HostMatches(string pattern, string host)
    {
        var h = host.TrimEnd('.').ToLowerInvariant();
        var p = pattern.Trim().TrimEnd('.').ToLowerInvariant();
        return p == "*" || (p.StartsWith("*.", StringComparison.Ordinal) ? h.EndsWith(p[1..], StringComparison.Ordinal) && h.Length > p.Length - 1 : h == p);
    }

    /// <summary>Case-insensitive, anchored; a trailing slash on the request does not matter.</summary>
    private static Regex Glob(string glob)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            if (glob[i] == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                pattern.Append(".*");
                i++;
            }
            else if (glob[i] == '*')
                pattern.Append("[^/]*");
            else
                pattern.Append(Regex.Escape(glob[i].ToString()));
        }
        pattern.Append("/?$");
        return new Regex(pattern.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
    }
}
