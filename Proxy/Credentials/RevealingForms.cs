using System.Net;
using System.Text;
using System.Text.Encodings.Web;

namespace AgentCluster.Proxy.Credentials;

/// <summary>
/// The spellings in which an upstream may echo a credential, each paired with the same spelling of
/// what replaces it: as sent (UTF-8, so a non-ASCII secret is matched by its bytes), JSON-escaped
/// (minimal, <c>\/</c>, <c>\u</c> in either case, System.Text.Json's default), URL-encoded (RFC 3986
/// and form style, either hex case, every byte escaped), and base64 or base64url, alone or at any of
/// the three byte offsets inside a larger blob. An upstream that slices or re-encodes what it echoes
/// some other way is beyond this list.
/// </summary>
public static class RevealingForms
{
    /// <summary>A base64 core shorter than this is too little of the secret to be told from chance.</summary>
    private const int MinCore = 8;

    private static readonly Func<string, string>[] Spellings =
    [
        s => s,
        s => Json(s, nonAscii: false, lower: false, slash: false),
        s => Json(s, nonAscii: false, lower: false, slash: true),
        s => Json(s, nonAscii: true, lower: false, slash: false),
        s => Json(s, nonAscii: true, lower: true, slash: false),
        s => Json(s, nonAscii: true, lower: true, slash: true),
        JavaScriptEncoder.Default.Encode,
        Uri.EscapeDataString,
        s => LowerHex(Uri.EscapeDataString(s)),
        s => WebUtility.UrlEncode(s),
        s => LowerHex(WebUtility.UrlEncode(s)),
        s => EveryByte(s, "X2"),
        s => EveryByte(s, "x2"),
    ];

    /// <summary>Every spelling of <paramref name="real"/>, longest first, none twice, each with the same spelling of <paramref name="replacement"/>.</summary>
    public static IReadOnlyList<(byte[] Real, byte[] Replacement)> Of(string real, string replacement)
    {
        var forms = Spellings.Select(spell => (Encoding.UTF8.GetBytes(spell(real)), Encoding.UTF8.GetBytes(spell(replacement)))).ToList();
        byte[] realBytes = Encoding.UTF8.GetBytes(real), replacementBytes = Encoding.UTF8.GetBytes(replacement);
        foreach (var url in (bool[])[false, true])
        {
            forms.Add((Ascii(Base64(realBytes, url)), Ascii(Base64(replacementBytes, url))));
            for (var offset = 0; offset < 3; offset++)
            {
                var core = Core(realBytes, offset, url);
                if (core.Length >= MinCore)
                    forms.Add((Ascii(core), Ascii(Core(replacementBytes, offset, url))));
            }
        }
        return [.. forms.Where(f => f.Item1.Length > 0).DistinctBy(f => Convert.ToBase64String(f.Item1)).OrderByDescending(f => f.Item1.Length)];
    }

    private static string Json(string text, bool nonAscii, bool lower, bool slash)
    {
        var json = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            json.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '/' when slash => "\\/",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' => $"\\u{(int)c:x4}",
                > '\u007e' when nonAscii => lower ? $"\\u{(int)c:x4}" : $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }
        return json.ToString();
    }

    private static string LowerHex(string escaped)
    {
        var chars = escaped.ToCharArray();
        for (var i = 0; i + 2 < chars.Length; i++)
        {
            if (chars[i] == '%')
                (chars[i + 1], chars[i + 2]) = (char.ToLowerInvariant(chars[i + 1]), char.ToLowerInvariant(chars[i + 2]));
        }
        return new string(chars);
    }

    private static string EveryByte(string text, string format) =>
        string.Concat(Encoding.UTF8.GetBytes(text).Select(b => "%" + b.ToString(format, System.Globalization.CultureInfo.InvariantCulture)));

    private static string Base64(byte[] bytes, bool url)
    {
        var text = Convert.ToBase64String(bytes);
        return url ? text.TrimEnd('=').Replace('+', '-').Replace('/', '_') : text;
    }

    /// <summary>
    /// The characters of the bytes' base64 that do not depend on what is around them when they
    /// start <paramref name="offset"/> bytes into a group: the first group (shared with the bytes
    /// before) and the last partial one (shared with the bytes after) are left off.
    /// </summary>
    private static string Core(byte[] bytes, int offset, bool url)
    {
        var encoded = Base64([.. new byte[offset], .. bytes], url);
        var end = 4 * ((offset + bytes.Length) / 3);
        var start = offset == 0 ? 0 : 4;
        return end > start ? encoded[start..end] : "";
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
}
