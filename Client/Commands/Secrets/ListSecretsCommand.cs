using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Secrets;

internal sealed class ListSecretsCommand : Command
{
    private readonly Option<string> _tenant = SecretOptions.Tenant("Tenant whose secrets to list.");

    public ListSecretsCommand(CommandContext context)
        : base("list", "List a tenant's secrets: metadata only, never a value.")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_tenant);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var secrets = await connection.Secrets.ListAsync(result.GetRequiredValue(_tenant), cancellationToken);
            context.Output(result).Write(SecretListView.From(secrets), SecretListView.Render);
        });
    }
}
