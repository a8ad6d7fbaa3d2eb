using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Actions;

internal sealed class AuthorizeActionCommand : Command
{
    private readonly Option<string> _session = new("--session")
    {
        Description = "The session whose agent wants to act (ses_…).",
        HelpName = "id",
        Required = true,
    };

    private readonly Option<string> _action = new("--action")
    {
        Description = "The action's name, e.g. stripe.charge or db.execute; an unknown one is Irreversible.",
        HelpName = "name",
        Required = true,
    };

    private readonly Option<string> _payload = PayloadFileOption.Create();

    public AuthorizeActionCommand(CommandContext context)
        : base("authorize", "Classify an action: allowed at once, or pending with an approval id to wait for.")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_session);
        Add(_action);
        Add(_payload);
        SetAction(async (result, cancellationToken) =>
        {
            var payload = await PayloadFileOption.ReadAsync(result.GetRequiredValue(_payload), cancellationToken);
            using var connection = context.Connect(result);
            var answer = await connection.Actions.AuthorizeAsync(
                result.GetRequiredValue(_session), result.GetRequiredValue(_action), payload, cancellationToken);
            context.Output(result).Write(AuthorizeView.From(answer), AuthorizeView.Render);
        });
    }
}
