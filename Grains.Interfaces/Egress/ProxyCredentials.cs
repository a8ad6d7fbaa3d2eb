using System.Security.Cryptography;
using System.Text;

namespace AgentCluster.Grains.Egress;

/// <summary>
/// A sandbox's credential for the egress proxy: <c>user:secret</c> in its HTTP(S)_PROXY userinfo,
/// the user its session's id or its pooled container's credential id. It opens nothing but that proxy, for that session; only its hash is stored.
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

/// <summary>
/// The secret on its one trip to the container's environment; <see cref="User"/> is the session
/// id, or a warm-pool container's credential id.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ProxyCredential([property: Id(0)] string User, [property: Id(1)] string Secret)
{
    /// <summary>The proxy URL for the sandbox's HTTP_PROXY and HTTPS_PROXY.</summary>
    public string ProxyUrl(string address, int port) => $"http://{User}:{Secret}@{Endpoint(address, port)}";

    /// <summary>The proxy's URL with no credential in it (a desktop's forwarder adds <see cref="UserInfo"/> itself).</summary>
    public static string ProxyAddress(string address, int port) => $"http://{Endpoint(address, port)}";

    /// <summary><c>user:secret</c>, as Proxy-Authorization's Basic scheme takes it.</summary>
    public string UserInfo => $"{User}:{Secret}";

    private static string Endpoint(string address, int port) => $"{(address.Contains(':') ? $"[{address}]" : address)}:{port}";

    // A record prints its members; this one must never print the secret, wherever it is logged.
    public override string ToString() => $"ProxyCredential {{ User = {User}, Secret = *** }}";
}
