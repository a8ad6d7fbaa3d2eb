using System.Globalization;
using AgentCluster.Grains.Fleet;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

/// <summary>Containers and a clock for the tests of a host's plain classes.</summary>
internal static class HostTestData
{
    /// <summary>A well-formed session id (a host tells only those).</summary>
    public static string Session(int n) => "ses_" + n.ToString("x32", CultureInfo.InvariantCulture);

    public static SandboxContainer Sandbox(string id, string? session, DateTimeOffset? deadline = null,
        string state = "running", DateTimeOffset? created = null, string tenant = "acme")
    {
        var labels = new Dictionary<string, string>
        {
            [SandboxLabels.Tenant] = tenant,
            [SandboxLabels.Deadline] = SandboxContainer.DeadlineLabel(deadline ?? Now.AddMinutes(10)),
        };
        if (session is not null)
            labels[SandboxLabels.Session] = session;
        return new SandboxContainer(id, labels, state, created ?? Now - TimeSpan.FromMinutes(5), SandboxContainerSpec.ContainerName(session ?? ""));
    }

    /// <summary>A warm-pool container of <paramref name="host"/>; named after <paramref name="boundTo"/> once a session claimed it.</summary>
    public static SandboxContainer Pooled(string id, string poolId, string host = "h1", string state = "paused",
        string? boundTo = null, DateTimeOffset? deadline = null, DateTimeOffset? created = null) => new(
        id,
        new Dictionary<string, string>
        {
            [SandboxLabels.Session] = poolId,
            [SandboxLabels.Pool] = host,
            [SandboxLabels.Deadline] = SandboxContainer.DeadlineLabel(deadline ?? Now.AddHours(1)),
        },
        state, created ?? Now - TimeSpan.FromMinutes(5), SandboxContainerSpec.ContainerName(boundTo ?? poolId));
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class HandClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
