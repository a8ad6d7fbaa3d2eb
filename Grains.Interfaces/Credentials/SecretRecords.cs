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
    /// <summary>
    /// Upper-case HTTP methods the secret may be sent with; empty: whatever its grant's action allows.
    /// It narrows a grant's action, never widens it.
    /// </summary>
    [Id(9)] public ImmutableArray<string> Methods { get; init; } = [];

    /// <summary>
    /// The secret may be swapped into a request that leaves in clear (plain <c>http://</c>). Off by
    /// default: a real secret otherwise leaves the proxy only over TLS.
    /// </summary>
    [Id(10)] public bool AllowPlainHttp { get; init; }

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
/// One request a proxy wants a grant's secret for: the session and host it goes to, every method
/// it may be read as (its own and the one an override header names), and whether it leaves over TLS.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record GrantUse(
    [property: Id(0)] string Session,
    [property: Id(1)] string Host,
    [property: Id(2)] ImmutableArray<string> Methods,
    [property: Id(3)] bool OverTls)
{
    /// <summary>Read the secret from the vault, not the grain's few-second copy: a held request's check at its release.</summary>
    [Id(4)] public bool Fresh { get; init; }
}

/// <summary>
/// The proxy's answer. A denial looks the same to every sandbox: the proxy answers only
/// credential_unavailable, and writes <see cref="Refusal"/>, the real reason, to the audit log. <see cref="Secret"/> is the bare secret, so the proxy
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

    /// <summary>Why a denial denied (e.g. <c>action-mismatch</c>, <c>plain-http</c>), for the proxy's audit row only.</summary>
    [Id(4)] public string? Refusal { get; init; }

    public static GrantResolution Denied { get; } = new(false, ImmutableDictionary<string, string>.Empty);

    public static GrantResolution DeniedFor(string reason) => Denied with { Refusal = reason };

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
