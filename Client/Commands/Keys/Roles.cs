namespace AgentCluster.Client.Commands.Keys;

/// <summary>The roles keys.proto lists; checked here so a typo fails before anything is issued.</summary>
internal static class Roles
{
    public static readonly string[] All = ["orchestrator", "approver", "admin", "auditor"];
}
