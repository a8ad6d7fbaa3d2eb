using System.Security.Cryptography;
using System.Text;

namespace AgentCluster.Grains.Tenants;

/// <summary>
/// How an API key is named and stored: only its SHA-256 is kept, and its public id is a
/// prefix of that hash, so the id can be shown and logged without revealing the key.
/// </summary>
public static class ApiKeyId
{
    public const string KeyPrefix = "agk_";

    public static string Hash(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public static string FromHash(string keyHashHex) => "key_" + keyHashHex[..16];

    public static string NewKey() =>
        KeyPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
