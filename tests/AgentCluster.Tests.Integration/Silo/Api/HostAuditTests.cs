using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Silo.Api;

/// <summary>Changes to the fleet are administration: each is a row of the system tenant's chain, durable before the answer.</summary>
public sealed class HostAuditTests(SqliteNodeFixture node) : IClassFixture<SqliteNodeFixture>
{
    [Fact]
    public async Task Adding_draining_and_undraining_a_host_are_audited_as_they_are_answered()
    {
        var name = $"h-{Guid.NewGuid():N}"[..12];
        var steps = new (string[] Args, string Kind)[]
        {
            (["hosts", "add", name, "--endpoint", "unix:///nonexistent/docker.sock", "--capacity", "3"], "host.added"),
            (["hosts", "drain", name], "host.drained"),
            (["hosts", "undrain", name], "host.undrained"),
        };
        foreach (var (args, kind) in steps)
        {
            var run = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.AdminKey, args);
            Assert.True(run.ExitCode == 0, $"{string.Join(' ', args)}: {run.Stderr}");
            // Read at once after the answer: a durable row is already committed.
            var rows = await BrokerAudit.Rows(node.DataDir, "system");
            Assert.Contains(rows, r => r.Kind == kind && r.Detail.Contains($"\"host\":\"{name}\"", StringComparison.Ordinal));
        }

        var unknown = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.AdminKey, "hosts", "undrain", "no-such-host");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.DoesNotContain(await BrokerAudit.Rows(node.DataDir, "system"),
            r => r.Kind.StartsWith("host.", StringComparison.Ordinal) && r.Detail.Contains("no-such-host", StringComparison.Ordinal));
    }
}
