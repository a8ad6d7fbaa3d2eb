using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Grants;

internal sealed class RevokeGrantsCommand : Command
{
    // A whole SHA-256 in hex; the audit log shows the first 12.
    private const int MaxPrefix = 64;

    private readonly Option<string> _session = new("--session")
    {
        Description = "The session whose grants to revoke (ses_…).",
        HelpName = "id",
        Required = true,
    };

    private readonly Option<string?> _tokenHash = new("--token-hash")
    {
        Description = "Only the grant whose token's SHA-256 starts with these hex digits, as grant request and the audit log show it (default: every grant of the session).",
        HelpName = "prefix",
        CustomParser = result =>
        {
            var token = result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
            if (token.Length is > 0 and <= MaxPrefix && token.All(char.IsAsciiHexDigit))
            {
                return token.ToLowerInvariant();
            }

            // Not quoted: what was given may be the token itself rather than its hash.
            result.AddError($"invalid --token-hash: expected 1 to {MaxPrefix} hex digits of the token's SHA-256 (its hash prefix, not the token)");
            return null;
        },
    };

    public RevokeGrantsCommand(CommandContext context)
        : base("revoke", "Revoke a session's grants, or one of them; their tokens stop resolving at once.")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_session);
        Add(_tokenHash);
        SetAction(async (result, cancellationToken) =>
        {
            var session = result.GetRequiredValue(_session);
            var prefix = result.GetValue(_tokenHash);
            using var connection = context.Connect(result);
            var revoked = await connection.Grants.RevokeAsync(session, prefix, cancellationToken);
            context.Output(result).Write(new GrantsRevokedView(session, prefix, revoked), GrantsRevokedView.Render);
        });
    }
}
