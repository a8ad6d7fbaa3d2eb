using System.CommandLine;

namespace AgentCluster.Client.Commands.Cluster;

internal sealed class ClusterCommand : Command
{
    public ClusterCommand(CommandContext context)
        : base("cluster", "Inspect the silo cluster.")
    {
        Add(new ClusterStatusCommand(context));
    }
}
