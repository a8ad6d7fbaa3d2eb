using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Cluster;

internal sealed class ClusterStatusCommand : Command
{
    public ClusterStatusCommand(CommandContext context)
        : base("status", "List the silos in the membership table and their status.")
    {
        ArgumentNullException.ThrowIfNull(context);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var silos = await connection.Cluster.GetSilosAsync(cancellationToken);
            context.Output(result).Write(ClusterStatusView.From(silos), ClusterStatusView.Render);
        });
    }
}
