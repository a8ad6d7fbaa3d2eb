using AgentCluster.Api.V1;

namespace AgentCluster.Client.Sdk;

/// <summary>
/// A secret's metadata as the server reports it; there is no value, since no call ever returns one.
/// <see cref="Header"/> and <see cref="Format"/> are empty for basic auth, <see cref="BasicUser"/> for a header.
/// </summary>
public sealed record SecretInfo(
    string Tenant,
    string Resource,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> Hosts,
    string Header,
    string Format,
    string BasicUser,
    string KeyId,
    DateTimeOffset? UpdatedAt)
{
    /// <summary>Methods it may be sent with; empty: whatever its actions allow.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary>Whether the proxy may swap it into plain-http requests (otherwise TLS only).</summary>
    public bool AllowPlainHttp { get; init; }

    internal static SecretInfo From(SecretMetadata secret) => new(
        secret.Tenant,
        secret.Resource,
        [.. secret.Actions],
        [.. secret.Hosts],
        secret.Header,
        secret.Format,
        secret.BasicUser,
        secret.KeyId,
        ProtoTime.ToDateTimeOffset(secret.UpdatedAt))
    {
        Methods = [.. secret.Methods],
        AllowPlainHttp = secret.AllowPlainHttp,
    };
}
