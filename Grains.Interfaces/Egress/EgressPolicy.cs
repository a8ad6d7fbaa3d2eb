using System.Collections.Immutable;

namespace AgentCluster.Grains.Egress;

/// <summary>
/// What the proxy may do for a live session, as its grain says at the moment of asking: the
/// canonical allowlist entries (see <see cref="AllowEntry"/>) and the container's address. The
/// proxy may cache it until the session tells the proxies to forget (see <see cref="IEgressProxy"/>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record EgressPolicy(
    [property: Id(0)] string SessionId,
    [property: Id(1)] string Tenant,
    [property: Id(2)] ImmutableArray<string> AllowHosts,
    [property: Id(3)] string? ContainerIp)
{
    /// <summary>
    /// Host patterns (exact, or <c>*.</c> for any subdomain) that the session's live grants are
    /// bound to: a CONNECT to one of them is intercepted instead of tunnelled.
    /// </summary>
    [Id(4)] public ImmutableArray<string> InterceptHosts { get; init; } = [];

    /// <summary>The session's deadline as of the answer: past it, a cached answer is asked again.</summary>
    [Id(5)] public DateTimeOffset Expires { get; init; }

    /// <summary>
    /// The token hashes of the session's unexpired grants as of the answer: a stub whose hash is
    /// not here (and that the session grain does not hold either, when asked) goes to no grant grain.
    /// </summary>
    [Id(6)] public ImmutableArray<string> GrantHashes { get; init; } = [];

    /// <summary>
    /// The session inspects TLS: every CONNECT the allowlist lets through is intercepted, so the
    /// HTTP approval gate sees every request, not only those to hosts with a grant.
    /// </summary>
    [Id(30)] public bool InspectTls { get; init; }

    public bool Intercepts(string host) => InspectTls || InterceptHosts.Any(p => p.StartsWith("*.", StringComparison.Ordinal)
        ? host.EndsWith(p[1..], StringComparison.Ordinal) && host.Length > p.Length - 1
        : host == p);
}
