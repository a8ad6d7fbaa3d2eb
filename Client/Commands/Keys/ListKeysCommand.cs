using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Keys;

internal sealed class ListKeysCommand : Command
{
    private readonly Option<string> _tenant = new("--tenant")
    {
        Description = "Tenant whose keys to list.",
        HelpName = "name",
        Required = true,
    };

    public ListKeysCommand(CommandContext context)
        : base("list", "List a tenant's API keys (never their secrets).")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_tenant);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var keys = await connection.Keys.ListAsync(result.GetRequiredValue(_tenant), cancellationToken);
            context.Output(result).Write(KeyListView.From(keys), KeyListView.Render);
        });
    }
}
