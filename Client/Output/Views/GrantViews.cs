using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Output;

/// <summary>
/// The answer to <c>grant request</c>, the one output that carries a stub token:
/// <c>{"token","expiresAt","tokenHashPrefix","session","resource","action"}</c>.
/// </summary>
internal sealed record IssuedGrantView(
    string Token,
    DateTime? ExpiresAt,
    string TokenHashPrefix,
    string Session,
    string Resource,
    string Action)
{
    public static IssuedGrantView From(IssuedGrant grant) =>
        new(grant.Token, grant.ExpiresAt?.UtcDateTime, grant.TokenHashPrefix, grant.Session, grant.Resource, grant.Action);

    public static void Render(IssuedGrantView grant, TextWriter writer)
    {
        new Table("SESSION", "RESOURCE", "ACTION", "EXPIRES", "TOKEN HASH")
            .Add(grant.Session, grant.Resource, grant.Action, HumanFormat.Time(grant.ExpiresAt), grant.TokenHashPrefix)
            .WriteTo(writer);
        writer.WriteLine();
        writer.WriteLine("Hand this token to the session now: it is shown only once and cannot be recovered.");
        writer.WriteLine(grant.Token);
    }

    // Records print every property; keep the token out of logs and debugger views.
    public override string ToString() =>
        $"IssuedGrantView {{ Session = {Session}, Resource = {Resource}, Action = {Action}, TokenHashPrefix = {TokenHashPrefix}, Token = *** }}";
}

/// <summary><c>grant revoke --json</c>: <c>{"session","tokenHashPrefix","revoked"}</c>; <c>tokenHashPrefix</c> is null when every grant was meant.</summary>
internal sealed record GrantsRevokedView(string Session, string? TokenHashPrefix, int Revoked)
{
    /// <summary>e.g. <c>revoked 2 grants of session ses_1</c>.</summary>
    public static void Render(GrantsRevokedView view, TextWriter writer) =>
        writer.WriteLine(
            $"revoked {HumanFormat.Number(view.Revoked)} {(view.Revoked == 1 ? "grant" : "grants")} of session {Table.Clean(view.Session)}"
            + (view.TokenHashPrefix is { } prefix ? $" (token hash {Table.Clean(prefix)}…)" : string.Empty));
}
