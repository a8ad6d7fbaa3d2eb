namespace AgentCluster.Grains.Approvals.Classification.Http;

internal static class HttpRules
{
    public static bool Matches(HttpRule rule, string method, string host, string path) =>
        (rule.Methods.Count == 0 || rule.Methods.Contains(method, StringComparer.OrdinalIgnoreCase))
        && HostMatches(rule.Host.Trim().TrimEnd('.').ToLowerInvariant(), host)
        && PathMatches(rule.PathPrefix.TrimEnd('/'), path);

    private static bool HostMatches(string pattern, string host) => pattern switch
    {
        "*" => true,
        ['*', '.', ..] => host.EndsWith(pattern[1..], StringComparison.Ordinal) && host.Length > pattern.Length - 1,
        _ => host == pattern,
    };

    // Case is ignored so that /ADMIN cannot slip past a strict rule written for /admin.
    private static bool PathMatches(string prefix, string path) =>
        prefix.Length == 0
        || path.Equals(prefix, StringComparison.OrdinalIgnoreCase)
        || path.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase);

    public static bool IsValidMethod(string method) => method.Length is > 0 and <= 20 && method.All(char.IsAsciiLetter);
}
