using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Approvals;

internal sealed class ListApprovalsCommand : Command
{
    private readonly Option<string> _tenant = new("--tenant")
    {
        Description = "Whose approvals (default: the key's tenant; for a cluster admin, every tenant's); a cluster admin may name any.",
        HelpName = "name",
    };

    public ListApprovalsCommand(CommandContext context)
        : base("list", "List pending approvals, oldest first, with their tenant and deadline (UTC).")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_tenant);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var pending = await connection.Approvals.ListPendingAsync(result.GetValue(_tenant), cancellationToken);
            context.Output(result).Write(ApprovalListView.From(pending.Approvals), ApprovalListView.Render);
            if (!pending.CanDecide)
            {
                await context.NoteAsync("this key has no approver role: it sees pending approvals but cannot approve or deny them "
                    + "(an approver's key: agentctl keys create --tenant NAME --role approver)");
            }
        });
    }
}
