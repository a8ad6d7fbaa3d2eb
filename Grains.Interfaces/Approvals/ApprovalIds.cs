using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace AgentCluster.Grains.Approvals;

/// <summary><c>apr_</c> + 32 random hex characters: unguessable, so an id alone reveals nothing and decides nothing.</summary>
public static partial class ApprovalIds
{
    public static string New() => "apr_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool IsValid(string? id) => id is not null && Shape().IsMatch(id);

    /// <summary>The binding of an approval to its payload: lower-case hex SHA-256 of the exact bytes.</summary>
    public static string PayloadHash(ReadOnlySpan<byte> payload) => Convert.ToHexStringLower(SHA256.HashData(payload));

    [GeneratedRegex("^apr_[0-9a-f]{32}$")]
    private static partial Regex Shape();
}
