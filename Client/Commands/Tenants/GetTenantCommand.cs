using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Tenants;

internal sealed class GetTenantCommand : Command
{
    private readonly Argument<string> _name = new("name") { Description = "The tenant's name." };

    public GetTenantCommand(CommandContext context)
        : base("get", "Show one tenant.")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_name);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var tenant = await connection.Tenants.GetAsync(result.GetRequiredValue(_name), cancellationToken);
            context.Output(result).Write(TenantView.From(tenant), TenantView.Render);
        });
    }
}
