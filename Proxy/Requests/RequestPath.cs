using System.Text;

namespace AgentCluster.Proxy.Requests;

/// <summary>
/// The one path of a request: the HTTP action rules match it and the upstream receives it, so no
/// spelling can be one path to a rule and another to the server. Escapes of unreserved characters
/// (<c>%2E</c>, <c>%41</c>, …) are decoded and dot segments removed (RFC 3986, 6.2.2), the same way
/// for both. What servers read differently and cannot be rewritten without changing the request is
/// refused: an encoded <c>/</c> or <c>\</c>, a backslash, an empty segment (<c>//</c>), a <c>..</c>
/// above the root, a broken escape.
/// </summary>
public static class RequestPath
{
    /// <summary>The canonical form of a raw path (no query), or null with the reason it is refused.</summary>
    public static string? Canonical(string raw, out string? error)
    {
        error = Refusal(raw, out var decoded);
        if (error is not null)
            return null;
        var segments = decoded.Split('/');
        var kept = new List<string>(segments.Length);
        for (var i = 1; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            switch (segments[i])
            {
                case ".":
                    break;
                case "..":
                    if (kept.Count == 0)
                    {
                        error = "path-above-root";
                        return null;
                    }
                    kept.RemoveAt(kept.Count - 1);
                    break;
                case "" when !last:
                    error = "path-empty-segment";
                    return null;
                default:
                    kept.Add(segments[i]);
                    continue;
            }
            // "/a/b/.." names the folder "/a/": a dot segment at the end leaves its slash.
            if (last)
                kept.Add("");
        }
        return "/" + string.Join('/', kept);
    }

    /// <summary>The canonical path as the rules read it: every escape decoded once (none can be a separator).</summary>
    public static string ForRules(string canonical)
    {
        try
        {
            return Uri.UnescapeDataString(canonical);
        }
        catch (UriFormatException)
        {
            return canonical;
        }
    }

    private static string? Refusal(string raw, out string decoded)
    {
        decoded = "";
        if (!raw.StartsWith('/'))
            return "path-not-absolute";
        var text = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '\\')
                return "path-backslash";
            if (c != '%')
            {
                text.Append(c);
                continue;
            }
            if (i + 2 >= raw.Length || !Uri.IsHexDigit(raw[i + 1]) || !Uri.IsHexDigit(raw[i + 2]))
                return "path-bad-escape";
            var b = (char)Convert.ToByte(raw.Substring(i + 1, 2), 16);
            if (b is '/' or '\\')
                return "path-encoded-separator";
            if (char.IsAsciiLetterOrDigit(b) || b is '-' or '.' or '_' or '~')
                text.Append(b);
            else
                text.Append('%').Append(char.ToUpperInvariant(raw[i + 1])).Append(char.ToUpperInvariant(raw[i + 2]));
            i += 2;
        }
        decoded = text.ToString();
        return null;
    }
}
