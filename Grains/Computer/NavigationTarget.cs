using AgentCluster.Grains.Egress;

namespace AgentCluster.Grains.Computer;

/// <summary>
/// Where a navigate goes. http and https URLs go to the browser in .NET's canonical spelling, so
/// the host checked against the allowlist is the host the browser parses; data: and about:blank
/// reach no network. Nothing else is taken (javascript:, file:, chrome: …).
/// </summary>
public static class NavigationTarget
{
    /// <summary>The URL as the browser gets it and the host:port it reaches (null for data: and about:blank); null with why not.</summary>
    public static (string Url, Authority? Target)? Parse(string url, out string? error)
    {
        error = null;
        if (url.Any(char.IsControl))
            return Fail("url must not contain control characters", out error);
        // Parsers disagree on these: a URL that means one host here and another to the browser is refused.
        if (url.StartsWith("http", StringComparison.OrdinalIgnoreCase) && url.Contains('\\', StringComparison.Ordinal))
            return Fail("an http(s) url must have no user name, password or backslash", out error);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
            return Fail("url must be an absolute URL", out error);
        switch (uri.Scheme)
        {
            case "http" or "https":
                if (uri.UserInfo.Length > 0)
                    return Fail("an http(s) url must have no user name, password or backslash", out error);
                var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost;
                return Authority.Parse($"{host}:{uri.Port}", 0, out var hostError) is { } target
                    ? (Spelled(uri, host), target)
                    : Fail($"url host is not valid ({hostError})", out error);
            case "data":
                return (url, null);
            case "about" when url == "about:blank":
                return (url, null);
            default:
                return Fail($"navigate takes http, https, data: or about:blank URLs, not {uri.Scheme}:", out error);
        }
    }

    /// <summary>The canonical URL with the host as it was checked (punycode, not Unicode).</summary>
    private static string Spelled(Uri uri, string host) =>
        $"{uri.Scheme}://{host.ToLowerInvariant()}{(uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))}{uri.PathAndQuery}{uri.Fragment}";

    public static string? Error(string url) => Parse(url, out var error) is null ? error : null;

    private static (string, Authority?)? Fail(string reason, out string? error)
    {
        error = reason;
        return null;
    }
}
