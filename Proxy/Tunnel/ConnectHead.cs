using System.Text;
using AgentCluster.Grains.Egress;
using Microsoft.Extensions.Primitives;

namespace AgentCluster.Proxy.Tunnel;

/// <summary>
/// A <c>CONNECT host:port HTTP/1.1</c> head, parsed strictly: CRLF line ends only, no folded or
/// malformed header lines, at most one Host (which must name the same target) and one Proxy-Authorization.
/// </summary>
public sealed record ConnectHead(Authority Target, StringValues ProxyAuthorization)
{
    /// <summary>The head, or null with why; <paramref name="auth"/> is read either way, so a bad head is still attributed to its session.</summary>
    public static ConnectHead? Parse(string head, out StringValues auth, out string? error)
    {
        error = null;
        auth = new StringValues([.. head.Split("\r\n").Skip(1)
            .Where(l => l.StartsWith("Proxy-Authorization:", StringComparison.OrdinalIgnoreCase))
            .Select(l => l["Proxy-Authorization:".Length..].Trim(' ', '\t'))]);
        if (head.Replace("\r\n", "", StringComparison.Ordinal).Contains('\r') || head.Replace("\r\n", "", StringComparison.Ordinal).Contains('\n')
            || head.Any(c => c == '\0'))
            return Fail("bare CR, LF or NUL in the head", out error);
        var lines = head.Split("\r\n");
        var parts = lines[0].Split(' ');
        if (parts.Length != 3 || parts[0] != "CONNECT" || parts[2] is not ("HTTP/1.1" or "HTTP/1.0"))
            return Fail("not a CONNECT request line", out error);
        if (Authority.Parse(parts[1], 0, out var targetError) is not { } target)
            return Fail("bad target: " + targetError, out error);

        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[0] is ' ' or '\t' || line[..colon].Any(c => c is ' ' or '\t'))
                return Fail("malformed header line", out error);
            var (name, value) = (line[..colon], line[(colon + 1)..].Trim(' ', '\t'));
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase)
                && Authority.Parse(value, target.Port, out _) != target)
                return Fail("Host does not name the CONNECT target", out error);
        }
        if (lines.Skip(1).Count(l => l.StartsWith("Host:", StringComparison.OrdinalIgnoreCase)) > 1)
            return Fail("two Host headers", out error);
        return new ConnectHead(target, auth);
    }

    public static bool LooksLikeConnect(ReadOnlySpan<byte> start) => start.StartsWith("CONNECT "u8);

    public static string Text(ReadOnlySpan<byte> head) => Encoding.Latin1.GetString(head);

    private static ConnectHead? Fail(string reason, out string? error)
    {
        error = reason;
        return null;
    }
}
