using System.Security.Cryptography;
using System.Text;

namespace AgentCluster.Grains.SignIns;

/// <summary>
/// What a console sign-in holds: the API key's hash (what it was signed in with, checked again on
/// every use so a revoked key ends it at once), its absolute expiry and idle limit, and the token
/// every state change of that browser must carry (anti-forgery).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ConsoleSignIn(
    [property: Id(0)] string KeyHash,
    [property: Id(1)] string KeyId,
    [property: Id(2)] string Tenant,
    [property: Id(3)] string AntiForgery,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset ExpiresAt,
    [property: Id(6)] TimeSpan IdleTimeout)
{
    /// <summary>An absolute life: however busy the browser, it signs in again after this.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    /// <summary>Unused this long, it is forgotten.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromHours(1);

    /// <summary>When a sign-in last used at <paramref name="lastUsed"/> ends.</summary>
    public DateTimeOffset EndsAt(DateTimeOffset lastUsed)
    {
        var idle = lastUsed + IdleTimeout;
        return idle < ExpiresAt ? idle : ExpiresAt;
    }
}

/// <summary>The cookie's value and the grain's key made from it.</summary>
public static class ConsoleSignInTokens
{
    /// <summary>32 random bytes, base64url: a cookie value or an anti-forgery token.</summary>
    public static string New() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The sign-in grain's key.</summary>
    public static string Hash(string cookie) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(cookie)));

    /// <summary>How the audit names a sign-in.</summary>
    public static string HashPrefix(string cookieHash) => cookieHash[..12];
}
