using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Sessions;

internal sealed class GetSessionCommand : Command
{
    private readonly Argument<string> _id = new("id") { Description = "The session's id (ses_…)." };

    public GetSessionCommand(CommandContext context)
        : base("get", "Show one session.")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_id);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var session = await connection.Sessions.GetAsync(result.GetRequiredValue(_id), cancellationToken);
            context.Output(result).Write(SessionView.From(session), SessionView.Render);
        });
    }
}
