using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Output;

/// <summary>
/// A secret's metadata in <c>--json</c>, never its value: <c>header</c> and <c>format</c> for header injection or
/// <c>basicUser</c> for basic auth, the other(s) null; <c>updatedAt</c> in ISO 8601 UTC; <c>methods</c> empty when
/// the actions alone bound them; <c>allowPlainHttp</c> true when it may leave in clear.
/// </summary>
internal sealed record SecretView(
    string Tenant,
    string Resource,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> Hosts,
    string? Header,
    string? Format,
    string? BasicUser,
    string? KeyId,
    DateTime? UpdatedAt,
    IReadOnlyList<string> Methods,
    bool AllowPlainHttp)
{
    public static SecretView From(SecretInfo s) => new(
        s.Tenant,
        s.Resource,
        s.Actions,
        s.Hosts,
        NullIfEmpty(s.Header),
        NullIfEmpty(s.Format),
        NullIfEmpty(s.BasicUser),
        NullIfEmpty(s.KeyId),
        s.UpdatedAt?.UtcDateTime,
        s.Methods,
        s.AllowPlainHttp);

    public static void Render(SecretView secret, TextWriter writer) => SecretListView.Render(new([secret]), writer);

    /// <summary>How it is injected, for the table: <c>Authorization: Bearer {secret}</c> or <c>basic user U</c>.</summary>
    public string? Injection() =>
        BasicUser is { } user ? $"basic user {user}"
        : Header is not null || Format is not null ? $"{Header}: {Format}"
        : null;

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}

/// <summary><c>secrets list --json</c>: <c>{"secrets":[…]}</c>.</summary>
internal sealed record SecretListView(IReadOnlyList<SecretView> Secrets)
{
    public static SecretListView From(IEnumerable<SecretInfo> secrets) => new([.. secrets.Select(SecretView.From)]);

    public static void Render(SecretListView list, TextWriter writer)
    {
        var table = new Table("TENANT", "RESOURCE", "ACTIONS", "METHODS", "HOSTS", "PLAIN HTTP", "INJECTION", "KEY ID", "UPDATED");
        foreach (var s in list.Secrets)
        {
            table.Add(s.Tenant, s.Resource, HumanFormat.List(s.Actions), s.Methods.Count == 0 ? "by action" : HumanFormat.List(s.Methods),
                HumanFormat.List(s.Hosts), s.AllowPlainHttp ? "allowed" : "no", s.Injection(), s.KeyId, HumanFormat.Time(s.UpdatedAt));
        }

        table.WriteTo(writer);
    }
}

/// <summary><c>secrets rm --json</c>: <c>{"tenant","resource","removed":true}</c>.</summary>
internal sealed record SecretRemovedView(string Tenant, string Resource, bool Removed)
{
    public static void Render(SecretRemovedView view, TextWriter writer) =>
        writer.WriteLine($"removed secret {Table.Clean(view.Resource)} of tenant {Table.Clean(view.Tenant)}");
}

/// <summary><c>secrets rotate-key --json</c>: <c>{"keyId","reencrypted","note"}</c>.</summary>
internal sealed record KeyRotationView(string KeyId, int Reencrypted, string? Note)
{
    public static KeyRotationView From(KeyRotation rotation) =>
        new(rotation.KeyId, rotation.Reencrypted, rotation.Note.Length > 0 ? rotation.Note : null);

    /// <summary>e.g. <c>active key k2; 12 secrets re-encrypted</c>, then the server's note on what to do next.</summary>
    public static void Render(KeyRotationView view, TextWriter writer)
    {
        writer.WriteLine(
            $"active key {Table.Clean(view.KeyId)}; {HumanFormat.Number(view.Reencrypted)} {(view.Reencrypted == 1 ? "secret" : "secrets")} re-encrypted");
        if (view.Note is { } note)
            writer.WriteLine(Table.Clean(note));
    }
}
