using System.Collections.Immutable;

using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentCluster.Grains.Audit;

public sealed class AuditOptions
{
    public const string Section = "AgentCluster:Audit";

    /// <summary>Detail fields whose values never reach the log (matched case-insensitively).</summary>
    public List<string> SensitiveFields { get; set; } =
        ["secret", "value", "password", "token", "key", "apikey", "api_key", "authorization", "credential"];

    /// <summary>The most events one transaction carries.</summary>
    public int MaxBatch { get; set; } = 1000;

    /// <summary>
    /// How long rows nobody waits for may gather before they are committed: fewer, larger commits
    /// (each one a flush to disk). Durable appends never wait. Zero commits at once.
    /// </summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(20);
}

/// <summary>
/// The last line of defence for "no secret in the audit": sensitive fields are dropped, and
/// anything shaped like one of our keys or tokens becomes a hash prefix wherever it appears.
/// </summary>
public sealed partial class AuditScrubber(AuditOptions options)
{
    public const string Redacted = "[redacted]";

    private readonly HashSet<string> _sensitive = new(options.SensitiveFields, StringComparer.OrdinalIgnoreCase);

    public AuditEvent Scrub(AuditEvent e) => !Reveals(e) ? e : e with
    {
        Subject = Mask(e.Subject),
        Reason = Mask(e.Reason),
        Actor = Mask(e.Actor),
        Detail = e.Detail.ToImmutableSortedDictionary(
            p => p.Key, p => _sensitive.Contains(p.Key) ? Redacted : Mask(p.Value), StringComparer.Ordinal),
    };

    // Nearly every event reveals nothing: looking costs no allocation, rebuilding the detail does.
    private bool Reveals(AuditEvent e)
    {
        if (Credential().IsMatch(e.Subject) || Credential().IsMatch(e.Reason) || Credential().IsMatch(e.Actor))
            return true;
        foreach (var (key, value) in e.Detail)
        {
            if (_sensitive.Contains(key) || Credential().IsMatch(value))
                return true;
        }
        return false;
    }

    /// <summary>The form a token or key may take in the audit: the first 12 hex characters of its SHA-256.</summary>
    public static string HashPrefix(string secret) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))[..12];

    /// <summary>Our keys and tokens, wherever they appear in free text, become hash prefixes.</summary>
    public static string Mask(string text) => Credential().Replace(text, m => HashPrefix(m.Value));

    [GeneratedRegex("ag[ck]_[A-Za-z0-9_-]{16,}")]
    private static partial Regex Credential();
}
