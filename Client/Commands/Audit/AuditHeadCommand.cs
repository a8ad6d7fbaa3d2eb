using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Audit;

internal sealed class AuditHeadCommand : Command
{
    private readonly Option<string?> _tenant = AuditOptions.Tenant("Only this tenant's head (default: every tenant the key sees).");

    public AuditHeadCommand(CommandContext context)
        : base("head", "Print the latest seq and hash of each chain: the anchor to store elsewhere for 'verify --anchor'.")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_tenant);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var heads = await connection.Audit.GetHeadsAsync(result.GetValue(_tenant), cancellationToken);
            context.Output(result).Write(AuditHeadListView.From(heads), AuditHeadListView.Render);
        });
    }
}
