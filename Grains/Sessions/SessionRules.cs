using System.Collections.Immutable;
using System.Text.RegularExpressions;
using AgentCluster.Grains.Computer;
using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Tenants;

namespace AgentCluster.Grains.Sessions;

/// <summary>
/// Everything a session request must keep (TTL, image, limits, grants, allowlist against its
/// tenant), decided here and nowhere else. The session grain applies it to every create, so a
/// caller that skips the API (a benchmark, a test, a future service) meets the same rules.
/// </summary>
public static partial class SessionRules
{
    /// <summary>
    /// The request in its one canonical spelling: allowlist entries as <see cref="AllowEntry"/>
    /// writes them, grants trimmed and lower case, no duplicates, the tenant's CPU default where it
    /// asked for none. A bad entry is kept as given, for the error.
    /// </summary>
    public static SessionRequest Canonical(SessionRequest request, TenantQuotas quotas) => request with
    {
        AllowHosts = CanonicalAllowHosts(request.AllowHosts),
        AllowGrants = [.. request.AllowGrants.Select(g => g.Trim().ToLowerInvariant()).Distinct()],
        NanoCpus = request.NanoCpus == 0 ? quotas.DefaultNanoCpus : request.NanoCpus,
        // As the browser gets it and the allowlist is checked against (an unparsable one as given, for the error).
        StartUrl = request.StartUrl is { } url ? NavigationTarget.Parse(url, out _)?.Url ?? url : null,
    };

    /// <summary>
    /// The sandbox the request asks for, as the fleet will check and launch it. A desktop gets the
    /// desktop container settings and at least the pids a browser needs (see <see cref="SandboxSpec.CreateDesktop"/>).
    /// </summary>
    public static SandboxSpec Sandbox(string sessionId, SessionRequest request, DateTimeOffset deadline, bool desktop) =>
        new(sessionId, request.Tenant, request.Image, deadline, request.MemoryBytes,
            desktop ? Math.Max(request.PidsLimit, SandboxSpec.DesktopPidsLimit) : request.PidsLimit,
            SandboxSpec.DefaultTmpSizeBytes, SandboxSpec.DefaultCacheSizeBytes, request.HostLabels, Desktop: desktop)
        {
            NanoCpus = request.NanoCpus,
            StartUrl = desktop ? request.StartUrl : null,
        };

    /// <summary>Every rule the (canonical) request breaks, each naming the field and the bound; empty when it may run.</summary>
    public static IReadOnlyList<string> Errors(SessionRequest request, TenantInfo tenant, FleetOptions fleet, string sessionId,
        DateTimeOffset now)
    {
        var errors = new List<string>();
        var quotas = tenant.Quotas;
        if (request.Ttl <= TimeSpan.Zero)
            errors.Add("ttl must be more than 0");
        else if (request.Ttl > quotas.MaxSessionTtl)
            errors.Add($"ttl {request.Ttl} is over the tenant's maximum of {quotas.MaxSessionTtl}");
        if (!quotas.AllowedImages.Any(p => ImagePatterns.Matches(p, request.Image)))
            errors.Add($"image {request.Image} is not allowed for tenant {tenant.Name}");
        if (request.MemoryBytes < 0 || request.PidsLimit < 0)
            errors.Add("memory and pids must not be negative");
        if (request.NanoCpus < 0)
            errors.Add("cpus must not be negative");
        else if (request.NanoCpus > quotas.MaxNanoCpus)
            errors.Add($"cpus {Cpus(request.NanoCpus)} is over the tenant's maximum of {Cpus(quotas.MaxNanoCpus)}");
        errors.AddRange(AllowHostErrors(request.AllowHosts));
        if (request.AllowGrants.FirstOrDefault(g => !GrantPair().IsMatch(g)) is { } badGrant)
            errors.Add($"allow-grant {badGrant} is not resource:read|write|delete");
        if (request.MaxGrantTtl <= TimeSpan.Zero || request.MaxGrantTtl > SessionRequest.MaxGrantTtlCeiling)
            errors.Add($"max grant ttl must be more than 0 and at most {SessionRequest.MaxGrantTtlCeiling.TotalSeconds:0}s");
        else if (request.MaxGrantTtl > quotas.MaxGrantTtl)
            errors.Add($"max grant ttl is over the tenant's limit of {quotas.MaxGrantTtl.TotalSeconds:0}s");
        if (request.AllowGrants.FirstOrDefault(g => GrantPair().IsMatch(g) && !quotas.AllowsGrant(g)) is { } notAllowed)
            errors.Add($"allow-grant {notAllowed} is outside the tenant's allowed grants");
        if (request.IdleTimeout is { } idle && idle <= TimeSpan.Zero)
            errors.Add("idle timeout must be more than 0");
        if (request.StartUrl is { } startUrl)
            errors.AddRange(StartUrlErrors(startUrl, request.AllowHosts, fleet.IsDesktop(request.Image)));
        // The container's own bounds, by the same code the fleet checks every launch with. A TTL
        // that is not positive is reported above already, not again as a deadline in the past.
        if (request.Ttl > TimeSpan.Zero)
            // The start URL's rules are above (stricter than the fleet's), and said once.
            errors.AddRange(SandboxSpecValidation.Errors(Sandbox(sessionId, request, now + request.Ttl, fleet.IsDesktop(request.Image)) with { StartUrl = null },
                fleet.Limits, now));
        return errors;
    }

    /// <summary>A first page is a navigate made before the session exists: the same URL rules and the same allowlist.</summary>
    private static IEnumerable<string> StartUrlErrors(string url, ImmutableArray<string> allowHosts, bool desktop)
    {
        if (!desktop)
        {
            yield return "start url needs a desktop image (one of the fleet's DesktopImages): other images have no browser";
            yield break;
        }
        if (url.Length > ComputerActionRules.MaxUrlLength)
        {
            yield return $"start url is {url.Length} characters; at most {ComputerActionRules.MaxUrlLength}";
            yield break;
        }
        if (NavigationTarget.Parse(url, out var error) is not { } navigation)
            yield return $"start url: {error}";
        else if (navigation.Target is { } target && !AllowHostErrors(allowHosts).Any() && !SessionAllowlist.Allows(allowHosts, target))
            yield return $"start url host {target} is not on the session's allowlist";
    }

    /// <summary>What an extension of a live session must keep.</summary>
    public static IReadOnlyList<string> ExtendErrors(TimeSpan ttl) => ttl <= TimeSpan.Zero ? ["ttl must be more than 0"] : [];

    /// <summary>What a change of a live session's allowlist must keep: every entry valid, and at least one.</summary>
    public static IReadOnlyList<string> AllowlistChangeErrors(IReadOnlyCollection<string> allow, IReadOnlyCollection<string> deny)
    {
        var errors = AllowHostErrors(allow.Concat(deny)).ToList();
        if (allow.Count + deny.Count == 0)
            errors.Add("name at least one host to allow or deny");
        return errors;
    }

    /// <summary>Why an ended session refuses every change.</summary>
    public static string Ended(string sessionId, SessionStatus status) => $"session {sessionId} has ended ({status})";

    /// <summary>Each entry in its one canonical spelling (see <see cref="AllowEntry"/>); a bad one is kept as given for the error.</summary>
    public static ImmutableArray<string> CanonicalAllowHosts(IEnumerable<string> raw) =>
        [.. raw.Select(h => AllowEntry.Parse(h, out _)?.ToString() ?? h).Distinct()];

    public static IEnumerable<string> AllowHostErrors(IEnumerable<string> entries) =>
        entries.Select(h => AllowEntry.Parse(h, out var error) is null ? $"allow-host {h} is not a host name or host:port ({error})" : null)
            .OfType<string>();

    /// <summary>Billionths of a CPU as CPUs, the way <c>--cpus</c> spells them.</summary>
    public static string Cpus(long nanoCpus) =>
        ((decimal)nanoCpus / SandboxSpec.NanoCpusPerCpu).ToString("0.##########", System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,62}:(read|write|delete)$")]
    private static partial Regex GrantPair();
}
