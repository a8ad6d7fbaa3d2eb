using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Approvals;

internal sealed class ListApprovalsCommand : Command
{
    private readonly Option<string> _tenant = new("--tenant")
    {
        Description = "Whose approvals (default: the key's tenant); a cluster admin may name any, or * for all.",
        HelpName = "name",
    };

    public ListApprovalsCommand(CommandContext context)
        : base("list", "List pending approvals, oldest first.")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_tenant);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var approvals = await connection.Approvals.ListAsync(result.GetValue(_tenant), cancellationToken);
            context.Output(result).Write(ApprovalListView.From(approvals), ApprovalListView.Render);
        });
    }
}
