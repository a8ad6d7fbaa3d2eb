using System.CommandLine;
using AgentCluster.Audit;

namespace AgentCluster.Client.Commands.Audit;

/// <summary>Options several audit commands share.</summary>
internal static class AuditOptions
{
    public static Option<string?> Tenant(string description) => new("--tenant")
    {
        Description = description,
        HelpName = "name",
    };

    public static Option<DateTimeOffset?> Since(string description) => SinceOption.Create("--since", description);

    /// <summary><c>seq:hash</c> as <c>audit head</c> prints it; checked here, so a typo fails before anything is sent.</summary>
    public static Option<string?> Anchor() => new("--anchor")
    {
        Description = "A head stored earlier (seq:hash, as 'audit head' prints it) that the log must still contain.",
        HelpName = "seq:hash",
        CustomParser = result =>
        {
            var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (AuditAnchor.TryParse(token.Trim(), out var anchor))
            {
                return $"{anchor.Seq}:{anchor.Hash}";
            }

            result.AddError($"invalid anchor '{token}' for --anchor: expected seq:hash, a seq of at least 1 and 64 hex digits, as 'agentctl audit head' prints it");
            return null;
        },
    };
}
