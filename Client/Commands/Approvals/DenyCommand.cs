using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Approvals;

internal sealed class DenyCommand : Command
{
    private readonly Argument<string> _id = new("id") { Description = "The approval (apr_…)." };

    private readonly Option<string> _reason = new("--reason")
    {
        Description = "Why not; the orchestrator and the audit log see it.",
        HelpName = "text",
        Required = true,
    };

    public DenyCommand(CommandContext context)
        : base("deny", "Refuse a held action. Refused (exit 10) once it is decided or expired.")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_id);
        Add(_reason);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var approval = await connection.Approvals.DenyAsync(result.GetRequiredValue(_id), result.GetRequiredValue(_reason), cancellationToken);
            context.Output(result).Write(ApprovalView.From(approval), ApprovalView.Render);
        });
    }
}
