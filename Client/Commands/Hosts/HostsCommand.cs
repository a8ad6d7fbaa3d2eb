using System.CommandLine;

namespace AgentCluster.Client.Commands.Hosts;

internal sealed class HostsCommand : Command
{
    public HostsCommand(CommandContext context)
        : base("hosts", "Add, list, drain, undrain and remove the Docker hosts that run sessions (cluster-admin key).")
    {
        Aliases.Add("host");
        Add(new AddHostCommand(context));
        Add(new ListHostsCommand(context));
        Add(new DrainHostCommand(context));
        Add(new UndrainHostCommand(context));
        Add(new RemoveHostCommand(context));
    }
}
