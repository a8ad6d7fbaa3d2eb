using System.Collections.Immutable;
using System.Text.RegularExpressions;
using AgentCluster.Api.V1;
using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Sessions;
using AgentCluster.Grains.Tenants;

namespace AgentCluster.Silo.Api;

/// <summary>Turns an API request into a session request and says everything wrong with it.</summary>
internal static partial class SessionRequests
{
    public static SessionRequest From(CreateSessionRequest r, TenantInfo tenant, string actor) => new(
        tenant.Name,
        r.Image,
        r.Ttl?.ToTimeSpan() ?? TimeSpan.Zero,
        r.MemoryBytes == 0 ? SandboxSpec.DefaultMemoryBytes : r.MemoryBytes,
        r.PidsLimit == 0 ? SandboxSpec.DefaultPidsLimit : r.PidsLimit,
        CanonicalAllowHosts(r.AllowHosts),
        r.HostLabels.ToImmutableDictionary(),
        r.IdleTimeout?.ToTimeSpan(),
        actor,
        [.. r.AllowGrants.Select(g => g.Trim().ToLowerInvariant()).Distinct()],
        r.MaxGrantTtl?.ToTimeSpan()
            ?? (SessionRequest.DefaultMaxGrantTtl < tenant.Quotas.MaxGrantTtl ? SessionRequest.DefaultMaxGrantTtl : tenant.Quotas.MaxGrantTtl));

    public static List<string> Validate(CreateSessionRequest raw, TenantInfo tenant, SessionRequest request,
        SandboxLimits limits, string id, DateTimeOffset now)
    {
        var errors = new List<string>();
        if (request.Ttl <= TimeSpan.Zero)
            errors.Add("ttl must be more than 0");
        else if (request.Ttl > tenant.Quotas.MaxSessionTtl)
            errors.Add($"ttl {request.Ttl} is over the tenant's maximum of {tenant.Quotas.MaxSessionTtl}");
        if (!tenant.Quotas.AllowedImages.Any(p => ImagePattern(p).IsMatch(request.Image)))
            errors.Add($"image {request.Image} is not allowed for tenant {tenant.Name}");
        if (raw.MemoryBytes < 0 || raw.PidsLimit < 0)
            errors.Add("memory and pids must not be negative");
        errors.AddRange(AllowHostErrors(request.AllowHosts));
        if (request.AllowGrants.FirstOrDefault(g => !GrantPair().IsMatch(g)) is { } badGrant)
            errors.Add($"allow-grant {badGrant} is not resource:read|write|delete");
        if (request.MaxGrantTtl <= TimeSpan.Zero || request.MaxGrantTtl > SessionRequest.MaxGrantTtlCeiling)
            errors.Add($"max grant ttl must be more than 0 and at most {SessionRequest.MaxGrantTtlCeiling.TotalSeconds:0}s");
        else if (request.MaxGrantTtl > tenant.Quotas.MaxGrantTtl)
            errors.Add($"max grant ttl is over the tenant's limit of {tenant.Quotas.MaxGrantTtl.TotalSeconds:0}s");
        if (request.AllowGrants.FirstOrDefault(g => GrantPair().IsMatch(g) && !tenant.Quotas.AllowsGrant(g)) is { } notAllowed)
            errors.Add($"allow-grant {notAllowed} is outside the tenant's allowed grants");
        if (request.IdleTimeout is { } idle && idle <= TimeSpan.Zero)
            errors.Add("idle timeout must be more than 0");

        var spec = new SandboxSpec(id, tenant.Name, request.Image, now + request.Ttl, request.MemoryBytes, request.PidsLimit,
            SandboxSpec.DefaultTmpSizeBytes, SandboxSpec.DefaultCacheSizeBytes, request.HostLabels);
        if (request.Ttl > TimeSpan.Zero)
            errors.AddRange(SandboxSpecValidation.Errors(spec, limits, now));
        return errors;
    }

    /// <summary>A tenant's image pattern: <c>*</c> matches any run of characters, nothing else is special.</summary>
    private static Regex ImagePattern(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,62}:(read|write|delete)$")]
    private static partial Regex GrantPair();

    /// <summary>Each entry in its one canonical spelling (see <see cref="AllowEntry"/>); a bad one is kept as given for the error.</summary>
    public static ImmutableArray<string> CanonicalAllowHosts(IEnumerable<string> raw) =>
        [.. raw.Select(h => AllowEntry.Parse(h, out _)?.ToString() ?? h).Distinct()];

    public static IEnumerable<string> AllowHostErrors(IEnumerable<string> entries) =>
        entries.Select(h => AllowEntry.Parse(h, out var error) is null ? $"allow-host {h} is not a host name or host:port ({error})" : null)
            .OfType<string>();
}
