using AgentCluster.Grains.Egress;
using AgentCluster.Proxy.Requests;

namespace AgentCluster.Proxy.Forwarding;

/// <summary>
/// The target of an absolute-form request (<c>GET http://host:port/path?q HTTP/1.1</c>), read from
/// the raw request line: only <c>http</c>, no userinfo, the host checked like any other host. The
/// path is kept in its canonical form (<see cref="RequestPath"/>): what the rules match is what goes out.
/// </summary>
public sealed record AbsoluteTarget(Authority Authority, string PathAndQuery, bool Tls = false)
{
    public string Scheme => Tls ? "https" : "http";

    /// <summary>An origin-form request (<c>GET /path?q</c>) inside an intercepted CONNECT: the authority is the CONNECT's.</summary>
    public static AbsoluteTarget? Inside(Authority connected, string rawTarget, out string? error)
    {
        error = !rawTarget.StartsWith('/') ? "not an origin-form request inside an intercepted connection"
            : rawTarget.Contains('#', StringComparison.Ordinal) ? "a fragment in the request target" : null;
        return error is null && Canonical(rawTarget, out error) is { } canonical ? new AbsoluteTarget(connected, canonical, Tls: true) : null;
    }

    public static AbsoluteTarget? Parse(string rawTarget, out string? error)
    {
        const string scheme = "http://";
        if (!rawTarget.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            error = "not an absolute-form http:// request";
            return null;
        }
        var rest = rawTarget[scheme.Length..];
        var end = rest.IndexOfAny(['/', '?', '#']);
        var authority = end < 0 ? rest : rest[..end];
        var pathAndQuery = end < 0 ? "/" : rest[end..];
        if (pathAndQuery.StartsWith('?'))
            pathAndQuery = "/" + pathAndQuery;
        if (authority.Contains('@', StringComparison.Ordinal) || authority.Contains('%', StringComparison.Ordinal) && !authority.StartsWith('['))
        {
            error = "userinfo or escapes in the target's authority";
            return null;
        }
        if (pathAndQuery.Contains('#', StringComparison.Ordinal))
        {
            error = "a fragment in the request target";
            return null;
        }
        return Authority.Parse(authority, 80, out error) is { } parsed && Canonical(pathAndQuery, out error) is { } canonical
            ? new AbsoluteTarget(parsed, canonical)
            : null;
    }

    /// <summary>The path alone, as the audit records it (the query may carry data).</summary>
    public string Path => PathAndQuery.Split('?', 2)[0];

    /// <summary>The query with its <c>?</c>, or empty.</summary>
    public string Query => PathAndQuery.IndexOf('?', StringComparison.Ordinal) is >= 0 and var at ? PathAndQuery[at..] : "";

    /// <summary>The path as HTTP action rules match it: the canonical one, its escapes decoded.</summary>
    public string RulePath => RequestPath.ForRules(Path);

    /// <summary>How an approver reads where it goes: the scheme and port actually used (<c>http://host:443</c> is not https).</summary>
    public string Url
    {
        get
        {
            var port = (Tls, Authority.Port) is (true, 443) or (false, 80) ? "" : ":" + Authority.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var host = Authority.Host.Contains(':', StringComparison.Ordinal) ? $"[{Authority.Host}]" : Authority.Host;
            return $"{Scheme}://{host}{port}{PathAndQuery}";
        }
    }

    /// <summary>The path made canonical, the query as it came.</summary>
    private static string? Canonical(string pathAndQuery, out string? error)
    {
        var query = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = RequestPath.Canonical(query < 0 ? pathAndQuery : pathAndQuery[..query], out var refused);
        error = refused is null ? null : "the path: " + refused;
        return path is null ? null : path + (query < 0 ? "" : pathAndQuery[query..]);
    }

    public Uri Uri => new(Scheme + "://" + Authority + PathAndQuery, UriKind.Absolute);
}
