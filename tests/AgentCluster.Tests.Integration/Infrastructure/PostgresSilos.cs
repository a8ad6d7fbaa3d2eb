namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>Switches and environment for silo processes that form one cluster (over TLS, as by default) on a test database.</summary>
public static class PostgresSilos
{
    public static string[] Args(string connectionString, string? clusterId = null) =>
    [
        "--AgentCluster:Storage:Provider=postgres",
        $"--AgentCluster:Storage:ConnectionString={connectionString}",
        $"--AgentCluster:ClusterId={clusterId ?? $"test-{Guid.NewGuid():N}"}",
        // Faster failure detection than production's defaults, so tests do not wait minutes.
        "--AgentCluster:Membership:ProbeTimeout=00:00:02",
        "--AgentCluster:Membership:NumMissedProbesLimit=2",
        "--AgentCluster:Membership:TableRefreshTimeout=00:00:02",
        .. ClusterTls.SiloArgs,
    ];

    public static Dictionary<string, string> Env(string adminKey) => new() { ["AGENTCLUSTER_BOOTSTRAP_ADMIN_KEY"] = adminKey };
}
