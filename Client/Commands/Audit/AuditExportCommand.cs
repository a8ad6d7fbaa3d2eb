using System.CommandLine;
using AgentCluster.Client.Output;

namespace AgentCluster.Client.Commands.Audit;

internal sealed class AuditExportCommand : Command
{
    private readonly Option<DateTimeOffset?> _since = AuditOptions.Since("Only rows from this time on: ISO 8601, or a duration ago such as 1d (default: from the first row).");

    private readonly Option<string> _format = new("--format")
    {
        Description = "Output format; jsonl (one JSON object per line) is the only one.",
        HelpName = "format",
        DefaultValueFactory = _ => "jsonl",
    };

    private readonly Option<string?> _tenant = AuditOptions.Tenant("Tenant whose log to export (default: the key's own, or every tenant for a cluster admin).");

    public AuditExportCommand(CommandContext context)
        : base("export", "Print every audit row in (tenant, seq) order, one JSON object per line, with its hashes.")
    {
        ArgumentNullException.ThrowIfNull(context);
        _format.AcceptOnlyFromAmong("jsonl");
        Add(_since);
        Add(_format);
        Add(_tenant);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            var output = context.Output(result);
            await foreach (var row in connection.Audit.ExportAsync(result.GetValue(_tenant), result.GetValue(_since), cancellationToken))
            {
                output.WriteJsonLine(AuditRecordView.From(row));
            }
        });
    }
}
