using AgentCluster.Grains.Fleet;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;

namespace AgentCluster.Tests.Integration.Grains.Fleet;

[Collection(FleetCollection.Name)]
public sealed class KillAndFailureTests(FleetSilo fleet)
{
    private IDockerHostGrain Host(int engine) => fleet.Grains.GetGrain<IDockerHostGrain>(fleet.HostName(engine));

    [Fact]
    public async Task Killing_is_idempotent()
    {
        var spec = fleet.Spec(TimeSpan.FromMinutes(5));
        var launch = await Host(1).Launch(spec);
        Assert.True(launch.Status == LaunchStatus.Started, $"launch: {launch}");

        Assert.True(await Host(1).Kill(launch.ContainerId!));
        Assert.Empty(await fleet.OurContainers(1, spec.SessionId));
        Assert.False(await Host(1).Kill(launch.ContainerId!));
        Assert.False(await Task.Run(() => Engine(1).KillAsync(launch.ContainerId!)));
        Assert.False(await Host(1).Kill("0123456789ab"));
    }

    [Fact]
    public async Task A_container_that_is_not_a_sandbox_is_not_killed()
    {
        var created = await fleet.Docker[1].Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = fleet.Image,
            Name = fleet.NewSessionId() + "-plain",
            Labels = new Dictionary<string, string> { ["it.owner"] = "fleet" },
        });
        try
        {
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Host(1).Kill(created.ID));
            Assert.Contains("not a sandbox", e.Message);
            Assert.NotNull(await fleet.Docker[1].Containers.InspectContainerAsync(created.ID));
        }
        finally
        {
            await fleet.Docker[1].Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
        }
    }

    [Fact]
    public async Task An_unknown_image_creates_nothing()
    {
        var spec = fleet.Spec(TimeSpan.FromMinutes(5)) with { Image = "agentcluster/does-not-exist:never" };
        var launch = await Host(0).Launch(spec);

        Assert.Equal(LaunchStatus.ImageNotFound, launch.Status);
        Assert.Contains("agentcluster/does-not-exist:never", launch.Error);
        Assert.Null(launch.ContainerId);
        Assert.Empty(await fleet.OurContainers(0, spec.SessionId));
    }

    [Fact]
    public async Task A_start_failure_removes_the_created_container_and_says_why()
    {
        var spec = fleet.Spec(TimeSpan.FromMinutes(5));
        var parameters = fleet.Services.GetRequiredService<SandboxContainerSpec>().Build(spec, DateTimeOffset.UtcNow);
        // Created fine, but runc cannot exec it: the failure comes from the start call.
        parameters.Entrypoint = ["/no/such/binary"];
        parameters.HostConfig.Init = false;

        var e = await Assert.ThrowsAsync<SandboxLaunchException>(() => Engine(0).LaunchAsync(parameters));
        Assert.StartsWith("start failed: ", e.Message);
        Assert.Contains("/no/such/binary", e.Message);
        Assert.Empty(await fleet.OurContainers(0, spec.SessionId));
    }

    [Fact]
    public async Task A_session_is_never_launched_twice()
    {
        var spec = fleet.Spec(TimeSpan.FromMinutes(5));
        var first = await Host(0).Launch(spec);
        try
        {
            Assert.Equal(LaunchStatus.Started, first.Status);
            var second = await Host(0).Launch(spec);
            Assert.Equal(LaunchStatus.Failed, second.Status);
            Assert.Contains("already exists", second.Error);
            Assert.Equal(first.ContainerId, Assert.Single(await fleet.OurContainers(0, spec.SessionId)).ID);
        }
        finally
        {
            await Host(0).Kill(first.ContainerId!);
        }
    }

    [Fact]
    public async Task Invalid_limits_create_nothing()
    {
        var spec = fleet.Spec(TimeSpan.FromMinutes(5)) with { PidsLimit = 0, MemoryBytes = 1024 };
        var launch = await Host(0).Launch(spec);
        Assert.Equal(LaunchStatus.Invalid, launch.Status);
        Assert.Contains("pids limit 0", launch.Error);
        Assert.Contains("memory 1024 bytes", launch.Error);
        Assert.Empty(await fleet.OurContainers(0, spec.SessionId));
    }

    private IDockerEngine Engine(int engine) =>
        fleet.Services.GetRequiredService<IDockerEngines>().Get(DockerEndpoint.Parse(fleet.Endpoints[engine], null));
}
