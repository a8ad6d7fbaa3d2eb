using System.CommandLine;

namespace AgentCluster.Client.Commands.Secrets;

internal sealed class SecretsCommand : Command
{
    public SecretsCommand(CommandContext context)
        : base("secrets", "Store, list and remove the credential broker's secrets; no command ever prints a value.")
    {
        Aliases.Add("secret");
        Add(new PutSecretCommand(context));
        Add(new ListSecretsCommand(context));
        Add(new RemoveSecretCommand(context));
        Add(new RotateKeyCommand(context));
    }
}
