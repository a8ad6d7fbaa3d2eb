using AgentCluster.Api.V1;

namespace AgentCluster.Client.Sdk;

/// <summary>
/// A stub token for one session, resource and action, and when it expires. The server keeps only its SHA-256, so
/// the token is never shown again; <see cref="TokenHashPrefix"/> is how the audit log and revocation name it.
/// </summary>
public sealed record IssuedGrant(
    string Token,
    DateTimeOffset? ExpiresAt,
    string TokenHashPrefix,
    string Session,
    string Resource,
    string Action)
{
    // The compiler-generated ToString would print the token into any log or debugger view.
    public override string ToString() =>
        $"IssuedGrant {{ Session = {Session}, Resource = {Resource}, Action = {Action}, TokenHashPrefix = {TokenHashPrefix}, Token = *** }}";

    internal static IssuedGrant From(Grant grant) => new(
        grant.Token,
        ProtoTime.ToDateTimeOffset(grant.ExpiresAt),
        grant.TokenHashPrefix,
        grant.Session,
        grant.Resource,
        grant.Action);
}
