using System.CommandLine;

namespace AgentCluster.Client.Commands.Keys;

internal sealed class KeysCommand : Command
{
    public KeysCommand(CommandContext context)
        : base("keys", "Issue, list and revoke API keys.")
    {
        Aliases.Add("key");
        Add(new CreateKeyCommand(context));
        Add(new ListKeysCommand(context));
        Add(new RevokeKeyCommand(context));
    }
}
