namespace AgentCluster.Grains;

/// <summary>Grain storage provider names the silo registers.</summary>
public static class StorageNames
{
    public const string Default = "agentcluster";
}
