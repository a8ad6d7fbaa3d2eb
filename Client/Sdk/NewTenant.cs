namespace AgentCluster.Client.Sdk;

/// <summary>What to create; anything left unset takes the server's default.</summary>
public sealed record NewTenant(string Name)
{
    public int? MaxSessions { get; init; }

    public TimeSpan? MaxSessionTtl { get; init; }

    public IReadOnlyList<string> AllowedImages { get; init; } = [];

    /// <summary><c>resource:action</c> patterns the tenant's sessions may name; empty: the server's default (*:read).</summary>
    public IReadOnlyList<string> AllowedGrants { get; init; } = [];

    public TimeSpan? MaxGrantTtl { get; init; }

    /// <summary>A session's CPU when it asks for none, in billionths of a CPU (server default: 1 CPU, or the maximum if less).</summary>
    public long? DefaultNanoCpus { get; init; }

    /// <summary>The most CPU one session may ask for, in billionths of a CPU (server default: 2 CPUs).</summary>
    public long? MaxNanoCpus { get; init; }
}
