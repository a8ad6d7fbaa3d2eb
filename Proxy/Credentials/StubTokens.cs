using System.Text;
using System.Text.RegularExpressions;

namespace AgentCluster.Proxy.Credentials;

/// <summary>Finds stub tokens (<c>agc_</c> + 43 base64url characters, as <c>GrantTokens.New</c> makes them).</summary>
public static partial class StubTokens
{
    [GeneratedRegex("agc_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])", RegexOptions.CultureInvariant)]
    private static partial Regex Token();

    public static string? Find(string? text) => text is null ? null : Token().Match(text) is { Success: true } m ? m.Value : null;

    /// <summary>Latin-1 keeps every byte one character, so a token is found in any body, text or not.</summary>
    public static bool In(ReadOnlySpan<byte> body) =>
        body.IndexOf("agc_"u8) >= 0 && Find(Encoding.Latin1.GetString(body)) is not null;
}
