using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Sessions;

internal sealed class ListSessionsCommand : Command
{
    private readonly Option<string?> _tenant = new("--tenant")
    {
        Description = "Tenant whose sessions to list (default: the key's own).",
        HelpName = "name",
    };

    private readonly Option<string?> _state = SessionStateOption.Create("--state", "Only sessions in this state, e.g. Ready (default: every state).");

    public ListSessionsCommand(CommandContext context)
        : base("list", "List a tenant's sessions.")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_tenant);
        Add(_state);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var sessions = await connection.Sessions.ListAsync(result.GetValue(_tenant), result.GetValue(_state), cancellationToken);
            context.Output(result).Write(SessionListView.From(sessions), SessionListView.Render);
        });
    }
}
