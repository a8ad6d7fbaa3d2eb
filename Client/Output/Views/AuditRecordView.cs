using System.Text.Json;
using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Output;

/// <summary>
/// An audit row in <c>--json</c> and in export lines. <c>time</c> is <c>atMs</c> in ISO 8601; <c>detail</c>
/// is the stored JSON object, parsed (or the raw text as a string if the stored value is not JSON).
/// </summary>
internal sealed record AuditRecordView(
    string Tenant,
    long Seq,
    DateTime? Time,
    long AtMs,
    string Actor,
    string Kind,
    string Subject,
    string Outcome,
    string Reason,
    JsonElement Detail,
    string PrevHash,
    string Hash)
{
    public static readonly (string Header, int Width)[] Columns =
    [
        ("SEQ", 6), ("TIME", 24), ("TENANT", 12), ("ACTOR", 20), ("KIND", 22), ("SUBJECT", 24), ("OUTCOME", 8), ("REASON", 0),
    ];

    public static AuditRecordView From(AuditEntry e) => new(
        e.Tenant, e.Seq, e.At?.UtcDateTime, e.AtMs, e.Actor, e.Kind, e.Subject, e.Outcome, e.Reason,
        ParseDetail(e.Detail), e.PrevHash, e.Hash);

    /// <summary>The table cells of a row, in <see cref="Columns"/> order.</summary>
    public string[] Cells() =>
        [HumanFormat.Number(Seq), HumanFormat.Instant(Time), Tenant, Actor, Kind, Subject, Outcome, Reason];

    private static JsonElement ParseDetail(string detail)
    {
        try
        {
            using var document = JsonDocument.Parse(detail);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(detail, OutputJsonContext.Default.String);
        }
    }
}

/// <summary><c>audit tail --json</c> without <c>--follow</c>: <c>{"records":[…]}</c>, oldest first.</summary>
internal sealed record AuditRecordListView(IReadOnlyList<AuditRecordView> Records)
{
    public static void Render(AuditRecordListView list, TextWriter writer)
    {
        var table = new Table([.. AuditRecordView.Columns.Select(c => c.Header)]);
        foreach (var r in list.Records)
        {
            table.Add(r.Cells());
        }

        table.WriteTo(writer);
    }
}
