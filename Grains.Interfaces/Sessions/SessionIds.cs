using System.Security.Cryptography;

namespace AgentCluster.Grains.Sessions;

public static class SessionIds
{
    public const string Prefix = "ses_";

    /// <summary>128 random bits: ids are never reused and cannot be guessed.</summary>
    public static string New() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool IsValid(string id) =>
        id.Length == Prefix.Length + 32 && id.StartsWith(Prefix, StringComparison.Ordinal) && id[Prefix.Length..].All(char.IsAsciiHexDigitLower);
}
