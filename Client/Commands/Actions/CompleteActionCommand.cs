using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Actions;

internal sealed class CompleteActionCommand : Command
{
    private readonly Argument<string> _id = new("id") { Description = "The approved approval (apr_…)." };

    private readonly Option<string> _payload = PayloadFileOption.Create();

    private readonly Option<string> _outcome = new("--outcome")
    {
        Description = "What the execution did: succeeded or failed.",
        HelpName = "outcome",
        Required = true,
    };

    public CompleteActionCommand(CommandContext context)
        : base("complete", "Report that an approved action ran, with exactly the approved payload. Refused otherwise (exit 10).")
    {
        ArgumentNullException.ThrowIfNull(context);
        _outcome.AcceptOnlyFromAmong("succeeded", "failed");
        Add(_id);
        Add(_payload);
        Add(_outcome);
        SetAction(async (result, cancellationToken) =>
        {
            var payload = await PayloadFileOption.ReadAsync(result.GetRequiredValue(_payload), cancellationToken);
            using var connection = context.Connect(result);
            var view = new ActionCompletedView(result.GetRequiredValue(_id), result.GetRequiredValue(_outcome));
            await connection.Actions.CompleteAsync(view.ApprovalId, payload, view.Outcome, cancellationToken);
            context.Output(result).Write(view, ActionCompletedView.Render);
        });
    }
}
