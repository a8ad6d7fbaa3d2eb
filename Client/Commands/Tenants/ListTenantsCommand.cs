using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Tenants;

internal sealed class ListTenantsCommand : Command
{
    public ListTenantsCommand(CommandContext context)
        : base("list", "List the tenants this key may see.")
    {
        ArgumentNullException.ThrowIfNull(context);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var tenants = await connection.Tenants.ListAsync(cancellationToken);
            context.Output(result).Write(TenantListView.From(tenants), TenantListView.Render);
        });
    }
}
