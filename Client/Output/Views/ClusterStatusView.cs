using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Output;

/// <summary>Cluster membership in <c>--json</c>; <c>status</c> is the server's string verbatim.</summary>
internal sealed record ClusterStatusView(IReadOnlyList<SiloView> Silos)
{
    public static ClusterStatusView From(IEnumerable<SiloInfo> silos) => new([.. silos.Select(SiloView.From)]);

    public static void Render(ClusterStatusView status, TextWriter writer)
    {
        var table = new Table("ADDRESS", "STATUS", "NAME", "HOST", "STARTED");
        foreach (var s in status.Silos)
        {
            table.Add(s.Address, s.Status, s.Name, s.HostName, HumanFormat.Time(s.StartedAt));
        }

        table.WriteTo(writer);
    }
}

internal sealed record SiloView(
    string Address,
    string Status,
    string Name,
    string HostName,
    DateTime? StartedAt,
    DateTime? IAmAliveAt,
    int GatewayPort)
{
    public static SiloView From(SiloInfo silo) => new(
        silo.Address,
        silo.Status,
        silo.Name,
        silo.HostName,
        silo.StartedAt?.UtcDateTime,
        silo.IAmAliveAt?.UtcDateTime,
        silo.GatewayPort);
}
