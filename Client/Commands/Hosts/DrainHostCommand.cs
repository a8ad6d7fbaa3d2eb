using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Hosts;

internal sealed class DrainHostCommand : Command
{
    private readonly Argument<string> _name = new("name") { Description = "The host's name, as hosts list shows it." };

    public DrainHostCommand(CommandContext context)
        : base("drain", "Give a host no new sessions; the ones it runs go on to their end.")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_name);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var host = await connection.Hosts.DrainAsync(result.GetRequiredValue(_name), cancellationToken);
            context.Output(result).Write(HostView.From(host), HostView.Render);
        });
    }
}
