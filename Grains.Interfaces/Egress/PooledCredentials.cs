using System.Security.Cryptography;

namespace AgentCluster.Grains.Egress;

/// <summary>The ids of warm-pool containers' egress credentials, which stand where a session id would.</summary>
public static class PooledCredentials
{
    public const string Prefix = "pcr_";

    /// <summary>128 random bits, as a session id: it cannot be guessed from another.</summary>
    public static string NewId() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool IsValid(string id) =>
        id.Length == Prefix.Length + 32 && id.StartsWith(Prefix, StringComparison.Ordinal) && id[Prefix.Length..].All(char.IsAsciiHexDigitLower);
}
