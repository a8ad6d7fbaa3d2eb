using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Hosts;

internal sealed class DrainHostCommand(CommandContext context)
    : DrainingCommand(context, "drain", "Give a host no new sessions; the ones it runs go on to their end.", drain: true);

internal sealed class UndrainHostCommand(CommandContext context)
    : DrainingCommand(context, "undrain", "Let a drained host take new sessions again.", drain: false);

/// <summary>drain and undrain: the same argument and output, the opposite change.</summary>
internal abstract class DrainingCommand : Command
{
    private readonly Argument<string> _name = new("name") { Description = "The host's name, as hosts list shows it." };

    protected DrainingCommand(CommandContext context, string name, string description, bool drain)
        : base(name, description)
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_name);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var host = result.GetRequiredValue(_name);
            var changed = drain ? await connection.Hosts.DrainAsync(host, cancellationToken) : await connection.Hosts.UndrainAsync(host, cancellationToken);
            context.Output(result).Write(HostView.From(changed), HostView.Render);
        });
    }
}
