using System.Text;

namespace AgentCluster.ComputerServer.Egress;

/// <summary>
/// The head of one request Chromium sends its proxy, rewritten for the session's egress proxy:
/// any Proxy-Authorization or Proxy-Connection it carried goes, the session's own goes in, and a
/// plain request closes its connection after the answer, so every request on the wire carries
/// the credential. Only what a browser sends a proxy is accepted: CONNECT host:port, or an
/// absolute http:// URL. A page's own request to this loopback port (origin form) is refused.
/// </summary>
internal static class ProxyRequestHead
{
    private static readonly string[] Dropped = ["proxy-authorization", "proxy-connection"];
    private static readonly string[] DroppedWhenClosing = ["connection", "keep-alive"];

    /// <summary>The head to send on (ending in CRLF CRLF), or null with <paramref name="error"/> saying why not.</summary>
    public static byte[]? Rewrite(ReadOnlySpan<byte> head, string credential, out string? error)
    {
        var text = Encoding.Latin1.GetString(head);
        var lines = text.Split("\r\n");
        var parts = lines[0].Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || parts[0].Length == 0)
            return Refuse("the request line is not METHOD TARGET HTTP/1.x", out error);
        var connect = parts[0] == "CONNECT";
        if (!connect && !parts[1].StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            return Refuse("only CONNECT and absolute http:// requests go through the session's proxy", out error);
        if (text.Any(c => c is < ' ' and not '\r' and not '\n' and not '\t' or '\x7f'))
            return Refuse("the head holds control characters", out error);

        var headers = lines.Skip(1).TakeWhile(l => l.Length > 0).ToList();
        if (headers.Any(h => h.IndexOf(':', StringComparison.Ordinal) <= 0 || h[0] is ' ' or '\t'))
            return Refuse("a header line is malformed", out error);
        // An upgrade (a plain ws://) keeps its connection: it is one exchange from then on.
        var upgrade = headers.Any(h => Name(h) == "connection" && h.Contains("upgrade", StringComparison.OrdinalIgnoreCase));
        var closing = !connect && !upgrade;
        var kept = headers.Where(h => !Dropped.Contains(Name(h)) && !(closing && DroppedWhenClosing.Contains(Name(h))));

        var result = new StringBuilder(lines[0]).Append("\r\n");
        foreach (var header in kept)
            result.Append(header).Append("\r\n");
        result.Append("Proxy-Authorization: Basic ").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(credential))).Append("\r\n");
        if (closing)
            result.Append("Connection: close\r\n");
        result.Append("\r\n");
        error = null;
        return Encoding.Latin1.GetBytes(result.ToString());
    }

    private static string Name(string header) => header[..Math.Max(0, header.IndexOf(':', StringComparison.Ordinal))].Trim().ToLowerInvariant();

    private static byte[]? Refuse(string why, out string? error)
    {
        error = why;
        return null;
    }
}
