using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Output;

/// <summary>The latest row of one tenant's chain: the anchor to store elsewhere.</summary>
internal sealed record AuditHeadView(string Tenant, long Seq, string Hash, DateTime? Time)
{
    public static AuditHeadView From(AuditHeadInfo head) => new(head.Tenant, head.Seq, head.Hash, head.At?.UtcDateTime);
}

internal sealed record AuditHeadListView(IReadOnlyList<AuditHeadView> Heads)
{
    public static AuditHeadListView From(IEnumerable<AuditHeadInfo> heads) => new([.. heads.Select(AuditHeadView.From)]);

    public static void Render(AuditHeadListView list, TextWriter writer)
    {
        var table = new Table("TENANT", "SEQ", "HASH", "TIME");
        foreach (var h in list.Heads)
        {
            table.Add(h.Tenant, HumanFormat.Number(h.Seq), h.Hash, HumanFormat.Instant(h.Time));
        }

        table.WriteTo(writer);
        if (list.Heads.Count == 0)
        {
            return;
        }

        writer.WriteLine();
        writer.WriteLine("Store these anchors elsewhere; to prove later that the log still holds them:");
        foreach (var h in list.Heads)
        {
            writer.WriteLine($"  agentctl audit verify --tenant {Table.Clean(h.Tenant)} --anchor {HumanFormat.Number(h.Seq)}:{Table.Clean(h.Hash)}");
        }
    }
}
