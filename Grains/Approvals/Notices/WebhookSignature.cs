using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AgentCluster.Grains.Approvals.Notices;

/// <summary>
/// <c>X-AgentCluster-Signature: t=UNIX,v1=HEX</c>, HEX = HMAC-SHA256(secret, "UNIX.body"). The
/// timestamp is signed with the body, so a receiver that rejects old timestamps rejects replays.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-AgentCluster-Signature";

    public static string Sign(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return $"t={unixSeconds.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>The receiver's check: right MAC, and a timestamp within <paramref name="tolerance"/> of now.</summary>
    public static bool Verify(string secret, string header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!parts.TryGetValue("t", out var t) || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var unix)
            || !parts.ContainsKey("v1"))
            return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(unix)).Duration() > tolerance)
            return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, unix, body)), Encoding.ASCII.GetBytes(header));
    }

    public static string NewSecret() => "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
