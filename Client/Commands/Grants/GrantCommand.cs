using System.CommandLine;

namespace AgentCluster.Client.Commands.Grants;

internal sealed class GrantCommand : Command
{
    public GrantCommand(CommandContext context)
        : base("grant", "Request and revoke a session's short-lived stub tokens (the credential broker).")
    {
        Aliases.Add("grants");
        Add(new RequestGrantCommand(context));
        Add(new RevokeGrantsCommand(context));
    }
}
