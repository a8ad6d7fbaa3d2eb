using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Output;

/// <summary>
/// A session in <c>--json</c>: times in ISO 8601 UTC; host, container and reason are null until there is one;
/// <c>maxGrantTtl</c> is a number of seconds, null when the server sent none; <c>desktop</c>: it has a computer;
/// <c>inspectTls</c>: the proxy terminates TLS for every allowlisted HTTPS host.
/// </summary>
internal sealed record SessionView(
    string Id,
    string Tenant,
    string State,
    string Image,
    string? Host,
    string? ContainerId,
    string? ContainerIp,
    DateTime? CreatedAt,
    DateTime? Deadline,
    string? Reason,
    IReadOnlyList<string> AllowHosts,
    IReadOnlyList<string> AllowGrants,
    double? MaxGrantTtl,
    bool Desktop,
    bool InspectTls)
{
    // As docker ps shows it: enough to tell containers apart, short enough for a table.
    private const int ShortContainerId = 12;

    public static SessionView From(SessionInfo s) => new(
        s.Id,
        s.Tenant,
        s.State,
        s.Image,
        NullIfEmpty(s.Host),
        NullIfEmpty(s.ContainerId),
        NullIfEmpty(s.ContainerIp),
        s.CreatedAt?.UtcDateTime,
        s.Deadline?.UtcDateTime,
        NullIfEmpty(s.Reason),
        s.AllowHosts,
        s.AllowGrants,
        s.MaxGrantTtl?.TotalSeconds,
        s.Desktop,
        s.InspectTls);

    public static void Render(SessionView session, TextWriter writer) => SessionListView.Render(new([session]), writer);

    /// <summary>The table cells of a session, in <see cref="SessionListView"/>'s column order.</summary>
    public string?[] Cells() =>
    [
        Id, Tenant, State, Image, Host, ContainerId is { Length: > ShortContainerId } c ? c[..ShortContainerId] : ContainerId,
        ContainerIp, HumanFormat.Time(Deadline), HumanFormat.List(AllowHosts), HumanFormat.List(AllowGrants),
        HumanFormat.Duration(MaxGrantTtl is { } s ? TimeSpan.FromSeconds(s) : null), Reason,
    ];

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}

/// <summary><c>session list --json</c>: <c>{"sessions":[…]}</c>.</summary>
internal sealed record SessionListView(IReadOnlyList<SessionView> Sessions)
{
    public static SessionListView From(IEnumerable<SessionInfo> sessions) => new([.. sessions.Select(SessionView.From)]);

    public static void Render(SessionListView list, TextWriter writer)
    {
        var table = new Table("ID", "TENANT", "STATE", "IMAGE", "HOST", "CONTAINER", "IP", "DEADLINE", "ALLOW HOSTS", "ALLOW GRANTS", "MAX GRANT TTL", "REASON");
        foreach (var s in list.Sessions)
        {
            table.Add(s.Cells());
        }

        table.WriteTo(writer);
    }
}
