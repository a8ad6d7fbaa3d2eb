using AgentCluster.Grains.Fleet;

namespace AgentCluster.Tests.Unit.Grains.Fleet;

internal static class FleetTestData
{
    public static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public static SandboxSpec Spec(TimeSpan? ttl = null) =>
        SandboxSpec.Create("ses_abc123", "acme", "agentcluster/sandbox:local", Now + (ttl ?? TimeSpan.FromMinutes(10)));

    public static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentCluster.sln")))
                return Path.Combine(dir.FullName, relative);
        }
        throw new InvalidOperationException("cannot find the repository root (AgentCluster.sln)");
    }

    public static SeccompProfile Seccomp { get; } = SeccompProfile.Load(RepoFile("deploy/seccomp-strict.json"));

    public static SandboxContainerSpec Builder(SandboxLimits? limits = null) =>
        new("agentcluster-sandbox", Seccomp, limits ?? new SandboxLimits());
}
