using System.Globalization;
using System.Net;

namespace AgentCluster.Grains.Egress;

/// <summary>
/// Reads a host string the way a socket library would: <c>2130706433</c>, <c>0177.0.0.1</c>,
/// <c>0x7f.1</c> and <c>127.1</c> all mean 127.0.0.1 (inet_aton), so the guard and the allowlist
/// must see the address, never the spelling.
/// </summary>
public static class IpLiterals
{
    /// <summary>
    /// True when <paramref name="host"/> is an IP literal in any spelling. <paramref name="error"/>
    /// is set for a host that looks numeric but is no valid address (e.g. <c>256.1.1.1</c>, <c>08.1</c>):
    /// such a host is refused, never looked up as a name.
    /// </summary>
    public static bool TryParse(string host, out IPAddress? address, out string? error)
    {
        (address, error) = (null, null);
        var bracketed = host.Length > 2 && host[0] == '[' && host[^1] == ']';
        var h = bracketed ? host[1..^1] : host;
        if (bracketed && !h.Contains(':'))
        {
            error = "only an IPv6 address goes in brackets";
            return false;
        }
        if (h.Contains(':'))
        {
            // IPv6 (zone ids included). Brackets are optional here; a bare one never has a port.
            if (IPAddress.TryParse(h, out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
                address = v6;
            else
                error = "not a valid IPv6 literal";
            return address is not null;
        }
        if (!EndsInNumber(h))
            return false;
        address = ParseV4(h);
        if (address is null)
            error = "looks like an IPv4 literal but is not a valid one";
        return address is not null;
    }

    /// <summary>The WHATWG URL rule: a host whose last label is numeric is an IPv4 address or nothing.</summary>
    private static bool EndsInNumber(string host)
    {
        var parts = host.Split('.');
        var last = parts[^1].Length == 0 && parts.Length > 1 ? parts[^2] : parts[^1];
        return last.Length > 0 && (last.All(char.IsAsciiDigit)
            || (last.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && last[2..].All(char.IsAsciiHexDigit)));
    }

    private static IPAddress? ParseV4(string host)
    {
        var parts = host.Split('.');
        if (parts.Length is 0 or > 4)
            return null;
        var numbers = new ulong[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (ParsePart(parts[i]) is not { } n)
                return null;
            numbers[i] = n;
        }
        // Every part but the last is one byte; the last fills the bytes that remain.
        for (var i = 0; i < numbers.Length - 1; i++)
        {
            if (numbers[i] > 255)
                return null;
        }
        var lastBits = 8 * (5 - numbers.Length);
        if (numbers[^1] >= 1UL << lastBits)
            return null;
        ulong value = numbers[^1];
        for (var i = 0; i < numbers.Length - 1; i++)
            value |= numbers[i] << (24 - 8 * i);
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
    }

    private static ulong? ParsePart(string part)
    {
        if (part.Length == 0 || part.Length > 12)
            return null;
        if (part.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var hex = part[2..];
            return hex.Length == 0 ? 0 : ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var h) ? h : null;
        }
        if (part.Length > 1 && part[0] == '0')
        {
            ulong octal = 0;
            foreach (var c in part[1..])
            {
                if (c is < '0' or > '7')
                    return null;
                octal = octal * 8 + (ulong)(c - '0');
            }
            return octal;
        }
        return part.All(char.IsAsciiDigit) && ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : null;
    }
}
