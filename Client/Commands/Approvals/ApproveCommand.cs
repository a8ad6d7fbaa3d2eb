using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Approvals;

internal sealed class ApproveCommand : Command
{
    private readonly Argument<string> _id = new("id") { Description = "The approval (apr_…)." };

    private readonly Option<string> _comment = new("--comment") { Description = "Why, for the audit log.", HelpName = "text" };

    public ApproveCommand(CommandContext context)
        : base("approve", "Let a held action run. Refused (exit 10) once it is decided or expired.")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_id);
        Add(_comment);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var approval = await connection.Approvals.ApproveAsync(result.GetRequiredValue(_id), result.GetValue(_comment), cancellationToken);
            context.Output(result).Write(ApprovalView.From(approval), ApprovalView.Render);
        });
    }
}
