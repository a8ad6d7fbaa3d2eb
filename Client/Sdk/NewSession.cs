using System.Collections.ObjectModel;

namespace AgentCluster.Client.Sdk;

/// <summary>What to run and for how long; anything left unset takes the server's default.</summary>
public sealed record NewSession(string Image, TimeSpan Ttl)
{
    /// <summary>Needed only with a cluster-admin key; a tenant's key always creates in its own tenant.</summary>
    public string? Tenant { get; init; }

    public long? MemoryBytes { get; init; }

    public long? PidsLimit { get; init; }

    /// <summary>CPU in billionths of a CPU (1.5 CPUs = 1_500_000_000); unset: the tenant's default, never more than its maximum.</summary>
    public long? NanoCpus { get; init; }

    /// <summary><c>host</c> or <c>host:port</c> the egress proxy lets the session reach.</summary>
    public IReadOnlyList<string> AllowHosts { get; init; } = [];

    /// <summary>Placement: only Docker hosts carrying all these labels.</summary>
    public IReadOnlyDictionary<string, string> HostLabels { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    public TimeSpan? IdleTimeout { get; init; }

    /// <summary><c>resource:action</c> pairs the session may ask grants for, e.g. <c>stripe:read</c>.</summary>
    public IReadOnlyList<string> AllowGrants { get; init; } = [];

    /// <summary>The longest grant it may get (server default 60 s, ceiling 300 s).</summary>
    public TimeSpan? MaxGrantTtl { get; init; }

    /// <summary>
    /// The proxy terminates TLS for every allowlisted HTTPS host, so the HTTP approval gate sees
    /// every request; unset: the server's default, on for a desktop session and off otherwise.
    /// </summary>
    public bool? InspectTls { get; init; }

    /// <summary>
    /// A desktop session's first page: the browser starts on it (checked against the allowlist and
    /// the tenant's gate as a navigate is), so the first screenshot can show it without a navigate.
    /// </summary>
    public string? StartUrl { get; init; }
}
