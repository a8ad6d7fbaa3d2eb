using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Sessions;

internal sealed class KillSessionCommand : Command
{
    private readonly Argument<string> _id = new("id") { Description = "The session's id (ses_…)." };

    private readonly Option<string?> _reason = new("--reason")
    {
        Description = "Why, for the session and the audit log (default: who killed it).",
        HelpName = "text",
    };

    public KillSessionCommand(CommandContext context)
        : base("kill", "Hard-kill a session now (SIGKILL, no grace); killing an ended one changes nothing.")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_id);
        Add(_reason);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var session = await connection.Sessions.KillAsync(result.GetRequiredValue(_id), result.GetValue(_reason), cancellationToken);
            context.Output(result).Write(SessionView.From(session), SessionView.Render);
        });
    }
}
