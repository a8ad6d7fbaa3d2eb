using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Grains.Fleet;

/// <summary>Placement over two real engines; a label of its own keeps the other hosts out of it.</summary>
[Collection(FleetCollection.Name)]
public sealed class FleetPlacementTests(FleetSilo fleet)
{
    private IFleetGrain Fleet => fleet.Grains.GetGrain<IFleetGrain>(IFleetGrain.Key);

    [Fact]
    public async Task Sessions_go_to_the_host_that_takes_work_and_none_is_created_without_one()
    {
        var pool = ("pool", Guid.NewGuid().ToString("N"));
        var (a, b) = (fleet.Grains.GetGrain<IDockerHostGrain>(pool.Item2 + "-a"), fleet.Grains.GetGrain<IDockerHostGrain>(pool.Item2 + "-b"));
        await a.Register(fleet.Registration(0, capacity: 50, pool));
        await b.Register(fleet.Registration(1, capacity: 50, pool));
        await Eventually.Healthy(a);
        await Eventually.Healthy(b);
        var spec = () => fleet.Spec(TimeSpan.FromMinutes(5)) with { HostLabels = FleetSilo.Labels(pool) };
        var started = new List<(int Engine, string Id)>();
        try
        {
            await a.Drain();
            var onB = await Fleet.Launch(spec());
            Assert.Equal((LaunchStatus.Started, b.GetPrimaryKeyString()), (onB.Status, onB.Host));
            started.Add((1, onB.ContainerId!));

            await a.Resume();
            await b.Drain();
            Assert.Equal(a.GetPrimaryKeyString(), Placement.Candidates(await Fleet.ListHosts(), spec().HostLabels).FirstOrDefault()?.Name);
            var onA = await Fleet.Launch(spec());
            Assert.Equal((LaunchStatus.Started, a.GetPrimaryKeyString()), (onA.Status, onA.Host));
            started.Add((0, onA.ContainerId!));

            await a.Drain();
            var before = (await fleet.OurContainers(0)).Count + (await fleet.OurContainers(1)).Count;
            var none = spec();
            var refused = await Fleet.Launch(none);
            Assert.Equal(LaunchStatus.NoCapacity, refused.Status);
            Assert.Empty(Placement.Candidates(await Fleet.ListHosts(), none.HostLabels));
            Assert.Empty(await fleet.OurContainers(0, none.SessionId));
            Assert.Empty(await fleet.OurContainers(1, none.SessionId));
            Assert.Equal(before, (await fleet.OurContainers(0)).Count + (await fleet.OurContainers(1)).Count);

            var statuses = await Fleet.ListHosts();
            Assert.True(statuses.Single(s => s.Name == b.GetPrimaryKeyString()).Draining);
            Assert.True(statuses.Single(s => s.Name == b.GetPrimaryKeyString()).Running >= 1);
        }
        finally
        {
            foreach (var (engine, id) in started)
                await fleet.Grains.GetGrain<IDockerHostGrain>(fleet.HostName(engine)).Kill(id);
        }
    }

    [Fact]
    public async Task A_host_that_cannot_be_reached_goes_unhealthy_takes_no_work_and_comes_back()
    {
        var host = fleet.Grains.GetGrain<IDockerHostGrain>(Guid.NewGuid().ToString("N"));
        var label = ("pool", Guid.NewGuid().ToString("N"));
        var missing = $"unix:///tmp/agentcluster-no-engine-{Guid.NewGuid():N}.sock";
        await host.Register(new DockerHostRegistration(missing, null, 5, FleetSilo.Labels(label)));

        await Eventually.True(async () => (await host.GetStatus())!.Health == HostHealth.Unhealthy, "the host to be Unhealthy", TimeSpan.FromSeconds(15));
        var status = (await host.GetStatus())!;
        Assert.True(status.ConsecutiveFailures >= 3);
        Assert.NotNull(status.LastError);
        var spec = fleet.Spec(TimeSpan.FromMinutes(5)) with { HostLabels = FleetSilo.Labels(label) };
        Assert.Equal(LaunchStatus.HostUnavailable, (await host.Launch(spec)).Status);
        Assert.Equal(LaunchStatus.NoCapacity, (await Fleet.Launch(spec)).Status);

        await host.Register(new DockerHostRegistration(fleet.Endpoints[0], null, 5, FleetSilo.Labels(label)));
        await Eventually.Healthy(host);
        Assert.Equal(0, (await host.GetStatus())!.ConsecutiveFailures);
    }
}
