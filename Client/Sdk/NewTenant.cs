namespace AgentCluster.Client.Sdk;

/// <summary>What to create; anything left unset takes the server's default.</summary>
public sealed record NewTenant(string Name)
{
    public int? MaxSessions { get; init; }

    public TimeSpan? MaxSessionTtl { get; init; }

    public IReadOnlyList<string> AllowedImages { get; init; } = [];
}
