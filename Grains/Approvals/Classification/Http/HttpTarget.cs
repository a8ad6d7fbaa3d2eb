namespace AgentCluster.Grains.Approvals.Classification.Http;

/// <summary>
/// The host and path of a request URL, read strictly: anything that URL parsers or servers are
/// known to read differently (credentials before an @, backslashes, raw spaces or non-ASCII) is
/// refused rather than guessed at.
/// </summary>
internal sealed record HttpTarget(string Host, string RawPath)
{
    public static HttpTarget? TryParse(string url)
    {
        var scheme = url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? 8
            : url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? 7
            : 0;
        if (scheme == 0 || url.Any(c => c is <= ' ' or > '~' or '\\'))
            return null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || uri.Host.Length == 0
            || uri.UserInfo.Length > 0)
            return null;

        var authorityEnd = url.IndexOfAny(['/', '?', '#'], scheme);
        if (url.AsSpan(scheme, (authorityEnd < 0 ? url.Length : authorityEnd) - scheme).Contains('%'))
            return null;
        var path = authorityEnd < 0 || url[authorityEnd] != '/' ? "/" : url[authorityEnd..];
        path = path.Split('?', '#')[0];
        return new(uri.IdnHost.TrimEnd('.').ToLowerInvariant(), path);
    }

    /// <summary>
    /// The path as a server would route it, or null when servers differ on that: dot segments,
    /// empty segments, ';' parameters, and encoded '/', '\', '.' or '%' (double encoding).
    /// </summary>
    public string? RoutedPath()
    {
        string[] ambiguous = ["/./", "/../", "//", ";", "%2e", "%2f", "%5c", "%25"];
        if (ambiguous.Any(a => RawPath.Contains(a, StringComparison.OrdinalIgnoreCase))
            || RawPath.EndsWith("/.", StringComparison.Ordinal) || RawPath.EndsWith("/..", StringComparison.Ordinal))
            return null;
        try
        {
            return Uri.UnescapeDataString(RawPath);
        }
        catch (UriFormatException)
        {
            return null;
        }
    }
}
