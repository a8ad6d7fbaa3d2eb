using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Grains.Fleet;

[Collection(FleetCollection.Name)]
public sealed class IsolationTests(FleetSilo fleet)
{
    [Fact]
    public async Task Two_sandboxes_on_one_host_cannot_reach_each_other()
    {
        var host = fleet.Grains.GetGrain<IDockerHostGrain>(fleet.HostName(1));
        var a = await host.Launch(fleet.Spec(TimeSpan.FromMinutes(5)));
        var b = await host.Launch(fleet.Spec(TimeSpan.FromMinutes(5)));
        try
        {
            Assert.Equal((LaunchStatus.Started, LaunchStatus.Started), (a.Status, b.Status));
            var endpoint = fleet.Endpoints[1];
            await DockerCli.Exec(endpoint, a.ContainerId!, "while true; do echo hello | nc -l -p 8080; done", detach: true);
            await Eventually.True(async () => (await DockerCli.Exec(endpoint, a.ContainerId!, "timeout 2 nc 127.0.0.1 8080 </dev/null")).Output.Contains("hello"),
                "the listener in the first sandbox to answer itself");

            var (code, output) = await DockerCli.Exec(endpoint, b.ContainerId!, $"timeout 3 nc {a.IpAddress} 8080 </dev/null");
            Assert.NotEqual(0, code);
            Assert.DoesNotContain("hello", output);
        }
        finally
        {
            foreach (var id in new[] { a.ContainerId, b.ContainerId }.OfType<string>())
                await host.Kill(id);
        }
    }
}
