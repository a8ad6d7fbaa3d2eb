using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Secrets;

internal sealed class RemoveSecretCommand : Command
{
    private readonly Option<string> _tenant = SecretOptions.Tenant("Tenant the secret belongs to.");

    private readonly Argument<string> _resource = SecretOptions.Resource("The resource whose secret to remove, e.g. stripe.");

    public RemoveSecretCommand(CommandContext context)
        : base("rm", "Remove a tenant's secret for a resource; grants for it stop resolving.")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_resource);
        Add(_tenant);
        SetAction(async (result, cancellationToken) =>
        {
            var tenant = result.GetRequiredValue(_tenant);
            var resource = result.GetRequiredValue(_resource);
            using var connection = context.Connect(result);
            await connection.Secrets.RemoveAsync(tenant, resource, cancellationToken);
            context.Output(result).Write(new SecretRemovedView(tenant, resource, Removed: true), SecretRemovedView.Render);
        });
    }
}
