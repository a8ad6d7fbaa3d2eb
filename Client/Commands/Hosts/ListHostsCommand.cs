using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Hosts;

internal sealed class ListHostsCommand : Command
{
    public ListHostsCommand(CommandContext context)
        : base("list", "List the Docker hosts with their health, capacity and running sessions.")
    {
        ArgumentNullException.ThrowIfNull(context);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var hosts = await connection.Hosts.ListAsync(cancellationToken);
            context.Output(result).Write(HostListView.From(hosts), HostListView.Render);
        });
    }
}
