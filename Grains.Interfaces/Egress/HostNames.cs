using System.Globalization;

namespace AgentCluster.Grains.Egress;

/// <summary>
/// One spelling per host: lower case, no trailing dot, IDN as punycode, an IP literal as its
/// canonical address text. The allowlist and the proxy compare only these spellings.
/// </summary>
public static class HostNames
{
    public const int MaxLength = 253;
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    /// <summary>The canonical host, or null with the reason it is refused.</summary>
    public static string? Normalize(string raw, out string? error)
    {
        error = null;
        var host = raw;
        if (host.Length == 0 || host.Length > MaxLength + 2)
            return Fail("host is empty or too long", out error);
        if (host.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            return Fail("host has whitespace or control characters", out error);
        if (host.EndsWith('.') && !host.EndsWith("..", StringComparison.Ordinal))
            host = host[..^1];
        if (IpLiterals.TryParse(host, out var ip, out var ipError))
            return ip!.ToString();
        if (ipError is not null)
            return Fail(ipError, out error);

        string ascii;
        try
        {
            ascii = Idn.GetAscii(host.ToLowerInvariant()).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return Fail("host is not a valid (internationalised) domain name", out error);
        }
        if (ascii.Length > MaxLength || ascii.Split('.').Any(l => !IsLabel(l)))
            return Fail("host is not a valid domain name", out error);
        return ascii;
    }

    private static bool IsLabel(string label) =>
        label.Length is > 0 and <= 63 && label[0] != '-' && label[^1] != '-'
        && label.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    private static string? Fail(string reason, out string? error)
    {
        error = reason;
        return null;
    }
}
