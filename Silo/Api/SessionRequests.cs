using System.Collections.Immutable;
using AgentCluster.Api.V1;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Sessions;
using AgentCluster.Grains.Tenants;

namespace AgentCluster.Silo.Api;

/// <summary>
/// Turns an API request into a session request, filling in what the caller left unset. It checks
/// nothing: the session grain applies <see cref="SessionRules"/> to whatever it is asked.
/// </summary>
internal static class SessionRequests
{
    public static SessionRequest From(CreateSessionRequest r, TenantInfo tenant, string actor) => new(
        tenant.Name,
        r.Image,
        r.Ttl?.ToTimeSpan() ?? TimeSpan.Zero,
        r.MemoryBytes == 0 ? SandboxSpec.DefaultMemoryBytes : r.MemoryBytes,
        r.PidsLimit == 0 ? SandboxSpec.DefaultPidsLimit : r.PidsLimit,
        [.. r.AllowHosts],
        r.HostLabels.ToImmutableDictionary(),
        r.IdleTimeout?.ToTimeSpan(),
        actor,
        [.. r.AllowGrants],
        r.MaxGrantTtl?.ToTimeSpan()
            ?? (SessionRequest.DefaultMaxGrantTtl < tenant.Quotas.MaxGrantTtl ? SessionRequest.DefaultMaxGrantTtl : tenant.Quotas.MaxGrantTtl))
    {
        // 0 stays 0: the session grain fills in the tenant's default as it reads it then.
        NanoCpus = r.NanoCpus,
        // Unset stays unset: the session grain decides by the image (on for a desktop).
        InspectTls = r.HasInspectTls ? r.InspectTls : null,
        StartUrl = r.StartUrl.Length == 0 ? null : r.StartUrl,
    };
}
