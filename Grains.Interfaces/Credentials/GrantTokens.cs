using System.Security.Cryptography;
using System.Text;

namespace AgentCluster.Grains.Credentials;

public static class GrantTokens
{
    public const string Prefix = "agc_";

    public static string New() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The grant grain's key.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>How the audit and the API name a token.</summary>
    public static string HashPrefix(string tokenHash) => tokenHash[..12];
}
