namespace AgentCluster.Grains.Audit;

public static class AuditOutcomes
{
    public const string Success = "success";
    public const string Denied = "denied";
    public const string Failed = "failed";
}

public static class AuditActors
{
    public const string System = "system";
}
