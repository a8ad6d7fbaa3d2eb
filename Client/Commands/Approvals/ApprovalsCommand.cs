using System.CommandLine;

namespace AgentCluster.Client.Commands.Approvals;

internal sealed class ApprovalsCommand : Command
{
    public ApprovalsCommand(CommandContext context)
        : base("approvals", "Decide held actions (approver key): list, show, approve, deny. The first decision wins.")
    {
        Aliases.Add("approval");
        Add(new ListApprovalsCommand(context));
        Add(new ShowApprovalCommand(context));
        Add(new ApproveCommand(context));
        Add(new DenyCommand(context));
    }
}
