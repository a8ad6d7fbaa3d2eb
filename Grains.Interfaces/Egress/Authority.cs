using System.Globalization;

namespace AgentCluster.Grains.Egress;

/// <summary>A canonical <c>host:port</c>, as an allowlist entry or a request's target names it.</summary>
public readonly record struct Authority(string Host, int Port)
{
    /// <summary>
    /// Splits <c>host</c>, <c>host:port</c> or <c>[v6]:port</c> and normalises the host. A port
    /// must be 1–65535 in plain decimal. <paramref name="defaultPort"/> 0 means a port is required.
    /// </summary>
    public static Authority? Parse(string raw, int defaultPort, out string? error)
    {
        error = null;
        string hostPart;
        string? portPart = null;
        if (raw.StartsWith('['))
        {
            var close = raw.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
                return Fail("unclosed [ in host", out error);
            hostPart = raw[..(close + 1)];
            var rest = raw[(close + 1)..];
            if (rest.Length > 0 && rest[0] != ':')
                return Fail("junk after ]", out error);
            portPart = rest.Length > 0 ? rest[1..] : null;
        }
        else
        {
            var colons = raw.Count(c => c == ':');
            if (colons > 1)
                return Fail("an IPv6 address must be written in brackets", out error);
            var colon = raw.IndexOf(':', StringComparison.Ordinal);
            hostPart = colon < 0 ? raw : raw[..colon];
            portPart = colon < 0 ? null : raw[(colon + 1)..];
        }

        int port;
        if (portPart is null)
        {
            if (defaultPort == 0)
                return Fail("a port is required", out error);
            port = defaultPort;
        }
        else if (!TryPort(portPart, out port))
        {
            return Fail($"port {portPart} is not 1-65535", out error);
        }
        return HostNames.Normalize(hostPart, out error) is { } host ? new Authority(host, port) : null;
    }

    public static bool TryPort(string text, out int port)
    {
        port = 0;
        return text.Length is > 0 and <= 5 && text.All(char.IsAsciiDigit)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
    }

    /// <summary>How a URL or CONNECT line writes it (IPv6 in brackets).</summary>
    public override string ToString() => (Host.Contains(':') ? $"[{Host}]" : Host) + ":" + Port.ToString(CultureInfo.InvariantCulture);

    private static Authority? Fail(string reason, out string? error)
    {
        error = reason;
        return null;
    }
}
