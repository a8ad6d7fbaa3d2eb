using System.Security.Cryptography;
using System.Text;

namespace AgentCluster.Grains.Egress;

/// <summary>
/// A session's credential for the egress proxy: <c>session-id:secret</c> in the sandbox's
/// HTTP(S)_PROXY userinfo. It opens nothing but that proxy, for that session; only its hash is stored.
/// </summary>
public static class ProxyCredentials
{
    public static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Constant time, so the proxy's answers say nothing about how much of a guess was right.</summary>
    public static bool Matches(string storedHash, string presentedHash) =>
        storedHash.Length == presentedHash.Length
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(storedHash), Encoding.ASCII.GetBytes(presentedHash));
}

/// <summary>The secret on its one trip from the session grain to the container's environment.</summary>
[GenerateSerializer, Immutable]
public sealed record ProxyCredential([property: Id(0)] string SessionId, [property: Id(1)] string Secret)
{
    /// <summary>The proxy URL for the sandbox's HTTP_PROXY and HTTPS_PROXY.</summary>
    public string ProxyUrl(string address, int port) =>
        $"http://{SessionId}:{Secret}@{(address.Contains(':') ? $"[{address}]" : address)}:{port}";

    // A record prints its members; this one must never print the secret, wherever it is logged.
    public override string ToString() => $"ProxyCredential {{ SessionId = {SessionId}, Secret = *** }}";
}
