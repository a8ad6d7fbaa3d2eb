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

    [Fact]
    public async Task A_configured_host_is_audited_once_when_the_fleet_first_learns_it_not_at_every_start()
    {
        using var dir = new TempDir();
        var data = dir.Sub("data");
        string[] args = ["--AgentCluster:Fleet:Hosts:cfg1:Endpoint=unix:///nonexistent/docker.sock", "--AgentCluster:Fleet:Hosts:cfg1:Capacity=2"];
        Task<int> Added() => CountAdded(data, "cfg1");
        await using (var first = SiloProcess.Start(data, args))
        {
            await first.WaitHealthyAsync();
            await Eventually.True(() => Task.FromResult(first.Output.Contains("Docker host(s): cfg1")), "the fleet's start-up");
            await first.StopAsync();
        }
        Assert.Equal(1, await Added());

        await using var second = SiloProcess.Start(data, args);
        await second.WaitHealthyAsync();
        // The fleet's start-up logs its host list once every configured host is registered (and audited, if new).
        await Eventually.True(() => Task.FromResult(second.Output.Contains("Docker host(s): cfg1")), "the fleet's start-up");
        Assert.Equal(1, await Added());
    }

    private static async Task<int> CountAdded(string data, string host) =>
        (await BrokerAudit.Rows(data, "system")).Count(r => r.Kind == "host.added" && r.Detail.Contains($"\"host\":\"{host}\"", StringComparison.Ordinal)
            && r.Detail.Contains("\"endpoint\":\"unix:///nonexistent/docker.sock\"", StringComparison.Ordinal));
}
