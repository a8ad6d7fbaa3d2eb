using System.CommandLine;
using AgentCluster.Client.Output;
using AgentCluster.Client.Sdk;
using Grpc.Core;

namespace AgentCluster.Client.Commands.Audit;

internal sealed class AuditTailCommand : Command
{
    private readonly Option<bool> _follow = new("--follow", "-f")
    {
        Description = "Keep printing new rows until Ctrl+C; with --json, one JSON object per line.",
    };

    private readonly Option<string?> _kind = new("--kind")
    {
        Description = "Only this kind (grant.issued) or kind prefix (grant.*).",
        HelpName = "kind",
    };

    private readonly Option<string?> _session = new("--session")
    {
        Description = "Only rows whose subject or actor is this session id.",
        HelpName = "id",
    };

    private readonly Option<DateTimeOffset?> _since = AuditOptions.Since("Only rows from this time on: ISO 8601, or a duration ago such as 10m.");

    private readonly Option<string?> _tenant = AuditOptions.Tenant("Tenant whose log to read (default: the key's own, or every tenant for a cluster admin).");

    private readonly Option<int?> _limit = CountOption.Create("--limit", "How many of the newest rows to show first (default: the server's, 20).");

    public AuditTailCommand(CommandContext context)
        : base("tail", "Show the newest audit rows, oldest first; with --follow, keep showing new ones.")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_follow);
        Add(_kind);
        Add(_session);
        Add(_since);
        Add(_tenant);
        Add(_limit);
        SetAction(async (result, cancellationToken) =>
        {
            var query = new AuditTailQuery
            {
                Tenant = result.GetValue(_tenant),
                Kind = result.GetValue(_kind),
                Session = result.GetValue(_session),
                Since = result.GetValue(_since),
                Limit = result.GetValue(_limit),
                Follow = result.GetValue(_follow),
            };
            using var connection = context.Connect(result);
            var rows = connection.Audit.TailAsync(query, cancellationToken);
            var output = context.Output(result);
            if (query.Follow)
            {
                await FollowAsync(rows, output, cancellationToken);
                return;
            }

            var records = new List<AuditRecordView>();
            await foreach (var row in rows)
            {
                records.Add(AuditRecordView.From(row));
            }

            output.Write(new AuditRecordListView(records), AuditRecordListView.Render);
        });
    }

    private static async Task FollowAsync(IAsyncEnumerable<AuditEntry> rows, CommandOutput output, CancellationToken cancellationToken)
    {
        var table = output.Json ? null : new StreamingTable(output.Text, AuditRecordView.Columns);
        table?.WriteHeader();
        try
        {
            await foreach (var row in rows)
            {
                var view = AuditRecordView.From(row);
                if (table is null)
                {
                    output.WriteJsonLine(view);
                }
                else
                {
                    table.Add(view.Cells());
                }
            }
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested
            && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // Ctrl+C is how a follow ends: a success, not a failure.
        }
    }
}
