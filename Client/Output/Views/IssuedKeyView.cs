using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Output;

/// <summary>The one output that carries a key's secret: the answer to <c>keys create</c>.</summary>
internal sealed record IssuedKeyView(
    string Id,
    string Tenant,
    IReadOnlyList<string> Roles,
    DateTime? CreatedAt,
    string Secret)
{
    public static IssuedKeyView From(IssuedApiKey issued) =>
        new(issued.Key.Id, issued.Key.Tenant, issued.Key.Roles, issued.Key.CreatedAt?.UtcDateTime, issued.Secret);

    public static void Render(IssuedKeyView key, TextWriter writer)
    {
        new Table("ID", "TENANT", "ROLES", "CREATED")
            .Add(key.Id, key.Tenant, HumanFormat.List(key.Roles), HumanFormat.Time(key.CreatedAt))
            .WriteTo(writer);
        writer.WriteLine();
        writer.WriteLine("Store this key now: it is shown only once and cannot be recovered.");
        writer.WriteLine(key.Secret);
    }

    // Records print every property; keep the secret out of logs and debugger views.
    public override string ToString() => $"IssuedKeyView {{ Id = {Id}, Tenant = {Tenant}, Secret = *** }}";
}
