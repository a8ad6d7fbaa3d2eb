using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Hosts;

internal sealed class RemoveHostCommand : Command
{
    private readonly Argument<string> _name = new("name") { Description = "The host's name, as hosts list shows it." };

    public RemoveHostCommand(CommandContext context)
        : base("remove", "Take a host out of the fleet, e.g. one whose endpoint never answers. Refused (exit 10) while it runs sessions.")
    {
        ArgumentNullException.ThrowIfNull(context);
        Aliases.Add("rm");
        Add(_name);
        SetAction(async (result, cancellationToken) =>
        {
            var name = result.GetRequiredValue(_name);
            using var connection = context.Connect(result);
            await connection.Hosts.RemoveAsync(name, cancellationToken);
            context.Output(result).Write(new HostRemovedView(name, true), HostRemovedView.Render);
        });
    }
}
