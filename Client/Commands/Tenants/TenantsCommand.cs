using System.CommandLine;

namespace AgentCluster.Client.Commands.Tenants;

internal sealed class TenantsCommand : Command
{
    public TenantsCommand(CommandContext context)
        : base("tenants", "Create and inspect tenants.")
    {
        Aliases.Add("tenant");
        Add(new CreateTenantCommand(context));
        Add(new ListTenantsCommand(context));
        Add(new GetTenantCommand(context));
        Add(new UpdateTenantCommand(context));
    }
}
