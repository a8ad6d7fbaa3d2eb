using System.Collections.Immutable;

namespace AgentCluster.Grains.Credentials;

public static class GrantActions
{
    public const string Read = "read";
    public const string Write = "write";
    public const string Delete = "delete";

    public static readonly ImmutableArray<string> All = [Read, Write, Delete];
}

/// <summary>Everything about a vault entry except its value, which no API ever returns.</summary>
[GenerateSerializer, Immutable]
public sealed record SecretMetadata(
    [property: Id(0)] string Tenant,
    [property: Id(1)] string Resource,
    [property: Id(2)] ImmutableArray<string> Hosts,
    [property: Id(3)] ImmutableArray<string> Actions,
    [property: Id(4)] string? Header,
    [property: Id(5)] string? Format,
    [property: Id(6)] string? BasicUser,
    [property: Id(7)] string KeyId,
    [property: Id(8)] DateTimeOffset UpdatedAt)
{
    /// <summary>Exact names, or <c>*.example.com</c> for any subdomain (not the apex).</summary>
    public bool AllowsHost(string host)
    {
        var h = host.Trim().TrimEnd('.').ToLowerInvariant();
        return Hosts.Any(p => p.StartsWith("*.", StringComparison.Ordinal)
            ? h.EndsWith(p[1..], StringComparison.Ordinal) && h.Length > p.Length - 1
            : h == p);
    }
}

/// <summary>What a mint needs to know about a grant; the token itself never crosses this boundary.</summary>
[GenerateSerializer, Immutable]
public sealed record GrantRecord(
    [property: Id(0)] string Session,
    [property: Id(1)] string Tenant,
    [property: Id(2)] string Resource,
    [property: Id(3)] string Action,
    [property: Id(4)] DateTimeOffset ExpiresAt);

/// <summary>
/// The proxy's answer. A denial carries no reason: every denial looks the same to the caller,
/// and the real reason is in the audit log. <see cref="Secret"/> is the bare secret, so the proxy
/// can strip it from what comes back; like <see cref="Headers"/> it lives only in the proxy's memory.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record GrantResolution(
    [property: Id(0)] bool Allowed,
    [property: Id(1)] ImmutableDictionary<string, string> Headers,
    [property: Id(2)] string? Secret = null)
{
    /// <summary>When the grant stops resolving on its own: a proxy's cached resolution ends here at the latest.</summary>
    [Id(3)] public DateTimeOffset ExpiresAt { get; init; }

    public static GrantResolution Denied { get; } = new(false, ImmutableDictionary<string, string>.Empty);

    // A record prints its members; this one must never print the secret or the headers carrying it.
    public override string ToString() => $"GrantResolution {{ Allowed = {Allowed}, Headers = [{string.Join(", ", Headers.Keys)}] }}";
}

/// <summary>A minted token, returned once to the orchestrator.</summary>
[GenerateSerializer, Immutable]
public sealed record GrantIssue(
    [property: Id(0)] bool Granted,
    [property: Id(1)] string? Token,
    [property: Id(2)] DateTimeOffset ExpiresAt,
    [property: Id(3)] string? TokenHashPrefix)
{
    public static GrantIssue Refused { get; } = new(false, null, default, null);

    /// <summary>The message of every refusal, whatever its real reason.</summary>
    public const string Opaque = "credential_unavailable";
}
