using AgentCluster.Grains.Egress;

namespace AgentCluster.Proxy.Forwarding;

/// <summary>
/// The target of an absolute-form request (<c>GET http://host:port/path?q HTTP/1.1</c>), read from
/// the raw request line: only <c>http</c>, no userinfo, the host checked like any other host.
/// </summary>
public sealed record AbsoluteTarget(Authority Authority, string PathAndQuery, bool Tls = false)
{
    public string Scheme => Tls ? "https" : "http";

    /// <summary>An origin-form request (<c>GET /path?q</c>) inside an intercepted CONNECT: the authority is the CONNECT's.</summary>
    public static AbsoluteTarget? Inside(Authority connected, string rawTarget, out string? error)
    {
        error = !rawTarget.StartsWith('/') ? "not an origin-form request inside an intercepted connection"
            : rawTarget.Contains('#', StringComparison.Ordinal) ? "a fragment in the request target" : null;
        return error is null ? new AbsoluteTarget(connected, rawTarget, Tls: true) : null;
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
        return Authority.Parse(authority, 80, out error) is { } parsed ? new AbsoluteTarget(parsed, pathAndQuery) : null;
    }

    /// <summary>The path alone, as the audit records it (the query may carry data).</summary>
    public string Path => PathAndQuery.Split('?', 2)[0];

    public Uri Uri => new(Scheme + "://" + Authority + PathAndQuery, UriKind.Absolute);
}
