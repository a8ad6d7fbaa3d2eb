using AgentCluster.Api.V1;

namespace AgentCluster.Client.Sdk;

/// <summary>An API key's public half: never the secret.</summary>
public sealed record ApiKeyInfo(
    string Id,
    string Tenant,
    IReadOnlyList<string> Roles,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? RevokedAt)
{
    internal static ApiKeyInfo From(ApiKey key) => new(
        key.Id,
        key.Tenant,
        [.. key.Roles],
        ProtoTime.ToDateTimeOffset(key.CreatedAt),
        ProtoTime.ToDateTimeOffset(key.RevokedAt));
}
