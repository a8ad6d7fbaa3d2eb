using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Output;

/// <summary>An API key in <c>--json</c>, never with its secret; <c>revokedAt</c> is null while live.</summary>
internal sealed record KeyView(
    string Id,
    string Tenant,
    IReadOnlyList<string> Roles,
    DateTime? CreatedAt,
    DateTime? RevokedAt)
{
    public static KeyView From(ApiKeyInfo key) =>
        new(key.Id, key.Tenant, key.Roles, key.CreatedAt?.UtcDateTime, key.RevokedAt?.UtcDateTime);

    public static void Render(KeyView key, TextWriter writer) => KeyListView.Render(new([key]), writer);
}

internal sealed record KeyListView(IReadOnlyList<KeyView> Keys)
{
    public static KeyListView From(IEnumerable<ApiKeyInfo> keys) => new([.. keys.Select(KeyView.From)]);

    public static void Render(KeyListView list, TextWriter writer)
    {
        var table = new Table("ID", "TENANT", "ROLES", "CREATED", "REVOKED");
        foreach (var k in list.Keys)
        {
            table.Add(k.Id, k.Tenant, HumanFormat.List(k.Roles), HumanFormat.Time(k.CreatedAt), HumanFormat.Time(k.RevokedAt));
        }

        table.WriteTo(writer);
    }
}
