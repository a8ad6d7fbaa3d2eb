using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Output;

/// <summary>A Docker host in <c>--json</c>: <c>labels</c> is an object (keys sorted), <c>lastError</c> null while there is none.</summary>
internal sealed record HostView(
    string Name,
    string Health,
    int Capacity,
    int Running,
    bool Draining,
    string Endpoint,
    IReadOnlyDictionary<string, string> Labels,
    DateTime? LastCheckAt,
    string? LastError)
{
    public static HostView From(HostInfo h) => new(
        h.Name,
        h.Health,
        h.Capacity,
        h.Running,
        h.Draining,
        h.Endpoint,
        new SortedDictionary<string, string>(h.Labels.ToDictionary(StringComparer.Ordinal), StringComparer.Ordinal),
        h.LastCheckAt?.UtcDateTime,
        h.LastError.Length == 0 ? null : h.LastError);

    public static void Render(HostView host, TextWriter writer) => HostListView.Render(new([host]), writer);
}

/// <summary><c>hosts list --json</c>: <c>{"hosts":[…]}</c>.</summary>
internal sealed record HostListView(IReadOnlyList<HostView> Hosts)
{
    public static HostListView From(IEnumerable<HostInfo> hosts) => new([.. hosts.Select(HostView.From)]);

    public static void Render(HostListView list, TextWriter writer)
    {
        var table = new Table("NAME", "HEALTH", "CAPACITY", "RUNNING", "DRAINING", "ENDPOINT", "LABELS", "LAST ERROR");
        foreach (var h in list.Hosts)
        {
            table.Add(
                h.Name,
                h.Health,
                HumanFormat.Number(h.Capacity),
                HumanFormat.Number(h.Running),
                h.Draining ? "yes" : "no",
                h.Endpoint,
                HumanFormat.List(h.Labels.Select(l => $"{l.Key}={l.Value}")),
                h.LastError);
        }

        table.WriteTo(writer);
    }
}

/// <summary><c>hosts remove --json</c>: <c>{"name","removed":true}</c>.</summary>
internal sealed record HostRemovedView(string Name, bool Removed)
{
    public static void Render(HostRemovedView view, TextWriter writer) =>
        writer.WriteLine($"removed host {Table.Clean(view.Name)} from the fleet");
}
