using System.Globalization;

namespace AgentCluster.Grains.Egress;

/// <summary>
/// One allowlist entry: an exact host or a <c>*.</c> suffix (any name below it, not the name
/// itself), on one port, or on 80 and 443 when none is given.
/// </summary>
public sealed record AllowEntry(string Host, bool Wildcard, int? Port)
{
    public static readonly IReadOnlyList<int> DefaultPorts = [80, 443];

    /// <summary>The canonical entry, or null with the reason the text is refused.</summary>
    public static AllowEntry? Parse(string raw, out string? error)
    {
        var text = raw.Trim();
        var wildcard = text.StartsWith("*.", StringComparison.Ordinal);
        if (wildcard)
            text = text[2..];
        // Port 1 stands in for "none given" while parsing; the explicit-port check below tells them apart.
        var explicitPort = HasPort(text);
        if (Authority.Parse(text, explicitPort ? 0 : 1, out error) is not { } authority)
            return null;
        if (wildcard && IpLiterals.TryParse(authority.Host, out _, out _))
        {
            error = "a *. entry needs a domain name, not an address";
            return null;
        }
        if (wildcard && !authority.Host.Contains('.'))
        {
            error = "a *. entry needs at least two labels (no *.com)";
            return null;
        }
        return new AllowEntry(authority.Host, wildcard, explicitPort ? authority.Port : null);
    }

    public bool Allows(string host, int port) =>
        (Port is { } p ? p == port : DefaultPorts.Contains(port))
        && (Wildcard ? host.EndsWith("." + Host, StringComparison.Ordinal) : host == Host);

    public override string ToString() =>
        (Wildcard ? "*." : "") + (Host.Contains(':') ? $"[{Host}]" : Host)
        + (Port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : "");

    private static bool HasPort(string text) =>
        text.StartsWith('[') ? text.Contains("]:", StringComparison.Ordinal) : text.Count(c => c == ':') == 1;
}
