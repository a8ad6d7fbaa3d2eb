using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Sessions;

internal sealed class ExtendSessionCommand : Command
{
    private readonly Argument<string> _id = new("id") { Description = "The session's id (ses_…)." };

    private readonly Option<TimeSpan?> _ttl = DurationOption.Create("--ttl", "The new deadline is now plus this, e.g. 5m (never past the tenant's maximum TTL).");

    public ExtendSessionCommand(CommandContext context)
        : base("extend", "Move a running session's deadline.")
    {
        ArgumentNullException.ThrowIfNull(context);
        _ttl.Required = true;
        Add(_id);
        Add(_ttl);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var session = await connection.Sessions.ExtendAsync(result.GetRequiredValue(_id), result.GetValue(_ttl)!.Value, cancellationToken);
            context.Output(result).Write(SessionView.From(session), SessionView.Render);
        });
    }
}
