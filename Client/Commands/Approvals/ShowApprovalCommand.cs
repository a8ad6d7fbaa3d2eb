using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Approvals;

internal sealed class ShowApprovalCommand : Command
{
    private readonly Argument<string> _id = new("id") { Description = "The approval (apr_…)." };

    public ShowApprovalCommand(CommandContext context)
        : base("show", "Show one approval, its payload redacted by the configured fields.")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_id);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var approval = await connection.Approvals.GetAsync(result.GetRequiredValue(_id), cancellationToken);
            context.Output(result).Write(ApprovalView.From(approval), ApprovalView.Render);
        });
    }
}
