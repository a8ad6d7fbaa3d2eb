using System.Collections.Immutable;
using AgentCluster.Grains.Fleet;

namespace AgentCluster.Tests.Cluster.Grains.Fleet;

[Collection(ClusterCollection.Name)]
public sealed class FleetGrainTests(ClusterFixture fixture)
{
    private IFleetGrain Fleet => fixture.Grains.GetGrain<IFleetGrain>(IFleetGrain.Key);

    [Fact]
    public async Task Sessions_spread_least_loaded_first_and_overflow_is_no_capacity_with_nothing_created()
    {
        // A label of this test's own keeps the other tests' hosts out of its placements.
        var pool = ImmutableDictionary<string, string>.Empty.Add("pool", Guid.NewGuid().ToString("N"));
        var names = new[] { "a", "b" }.Select(n => $"{pool["pool"]}-{n}").ToArray();
        var engines = new List<FakeEngine>();
        foreach (var name in names)
        {
            var endpoint = FakeEngines.NewEndpoint();
            engines.Add(FakeEngines.Instance.For(endpoint));
            var host = fixture.Grains.GetGrain<IDockerHostGrain>(name);
            await host.Register(new DockerHostRegistration(endpoint, null, 2, pool));
            await host.Reconcile();
        }

        SandboxSpec Spec() => SandboxSpec.Create("ses_" + Guid.NewGuid().ToString("N"), "t", "img", DateTimeOffset.UtcNow.AddMinutes(5)) with { HostLabels = pool };
        var placed = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            var launch = await Fleet.Launch(Spec());
            Assert.Equal(LaunchStatus.Started, launch.Status);
            placed.Add(launch.Host);
        }

        Assert.Equal([names[0], names[1], names[0], names[1]], placed);
        var none = await Fleet.Launch(Spec());
        Assert.Equal(LaunchStatus.NoCapacity, none.Status);
        Assert.Equal("all 2 healthy Docker hosts are at capacity", none.Error);
        Assert.Empty(Placement.Candidates(await Fleet.ListHosts(), pool));
        Assert.Equal([2, 2], engines.Select(e => e.Creates));

        var other = await Fleet.Launch(Spec() with { HostLabels = pool.SetItem("pool", "nowhere") });
        Assert.Equal(LaunchStatus.NoCapacity, other.Status);
        Assert.Equal("no Docker host has the labels pool=nowhere", other.Error);

        var listed = await Fleet.ListHosts();
        Assert.All(names, n => Assert.Equal(2, listed.Single(h => h.Name == n).Running));
    }

    [Fact]
    public async Task A_host_without_the_image_passes_the_session_on_and_an_invalid_spec_goes_nowhere()
    {
        var pool = ImmutableDictionary<string, string>.Empty.Add("pool", Guid.NewGuid().ToString("N"));
        var engines = new List<FakeEngine>();
        foreach (var name in new[] { "a", "b" })
        {
            var endpoint = FakeEngines.NewEndpoint();
            engines.Add(FakeEngines.Instance.For(endpoint));
            var host = fixture.Grains.GetGrain<IDockerHostGrain>($"{pool["pool"]}-{name}");
            await host.Register(new DockerHostRegistration(endpoint, null, 2, pool));
            await host.Reconcile();
        }
        SandboxSpec Spec() => SandboxSpec.Create("ses_" + Guid.NewGuid().ToString("N"), "t", "img", DateTimeOffset.UtcNow.AddMinutes(5)) with { HostLabels = pool };

        engines[0].ImageMissing = true;
        var launch = await Fleet.Launch(Spec());
        Assert.Equal((LaunchStatus.Started, $"{pool["pool"]}-b"), (launch.Status, launch.Host));

        engines[1].ImageMissing = true;
        var nowhere = await Fleet.Launch(Spec());
        Assert.Equal(LaunchStatus.ImageNotFound, nowhere.Status);
        Assert.Null(nowhere.ContainerId);

        var invalid = await Fleet.Launch(Spec() with { PidsLimit = -1 });
        Assert.Equal(LaunchStatus.Invalid, invalid.Status);
        Assert.Equal([0, 1], engines.Select(e => e.Creates));
    }

    [Fact]
    public async Task A_launch_waits_for_a_new_hosts_first_check_rather_than_refusing_it()
    {
        var pool = ImmutableDictionary<string, string>.Empty.Add("pool", Guid.NewGuid().ToString("N"));
        var endpoint = FakeEngines.NewEndpoint();
        var engine = FakeEngines.Instance.For(endpoint);
        engine.CanaryGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var host = fixture.Grains.GetGrain<IDockerHostGrain>($"{pool["pool"]}-new");
        await host.Register(new DockerHostRegistration(endpoint, null, 2, pool));
        while (Volatile.Read(ref engine.CanaryRuns) == 0)
            await Task.Delay(10);
        Assert.Equal(HostHealth.Unknown, (await host.GetStatus())!.Health);

        var launch = Fleet.Launch(SandboxSpec.Create("ses_" + Guid.NewGuid().ToString("N"), "t", "img", DateTimeOffset.UtcNow.AddMinutes(5)) with { HostLabels = pool });
        await Task.Delay(200);
        Assert.False(launch.IsCompleted);
        engine.CanaryGate.SetResult();

        Assert.Equal((LaunchStatus.Started, host.GetPrimaryKeyString()), ((await launch).Status, (await launch).Host));
    }

    [Fact]
    public async Task A_host_whose_engine_never_answered_is_removed_and_one_running_a_session_is_not()
    {
        var pool = ImmutableDictionary<string, string>.Empty.Add("pool", Guid.NewGuid().ToString("N"));
        var (deadName, busyName) = ($"{pool["pool"]}-dead", $"{pool["pool"]}-busy");
        var deadEndpoint = FakeEngines.NewEndpoint();
        FakeEngines.Instance.For(deadEndpoint).Down = true;
        var dead = fixture.Grains.GetGrain<IDockerHostGrain>(deadName);
        await dead.Register(new DockerHostRegistration(deadEndpoint, null, 2, pool));
        await dead.Reconcile();
        var busy = fixture.Grains.GetGrain<IDockerHostGrain>(busyName);
        await busy.Register(new DockerHostRegistration(FakeEngines.NewEndpoint(), null, 2, pool));
        await busy.Reconcile();
        var launch = await Fleet.Launch(SandboxSpec.Create("ses_" + Guid.NewGuid().ToString("N"), "t", "img", DateTimeOffset.UtcNow.AddMinutes(5)) with { HostLabels = pool });
        Assert.Equal((LaunchStatus.Started, busyName), (launch.Status, launch.Host));

        Assert.Equal(new HostRemoval(HostRemovalStatus.Removed, 0), await Fleet.RemoveHost(deadName));
        Assert.Null(await dead.GetStatus());
        Assert.DoesNotContain(await Fleet.ListHosts(), h => h.Name == deadName);

        Assert.Equal(new HostRemoval(HostRemovalStatus.Busy, 1), await Fleet.RemoveHost(busyName));
        var kept = Assert.Single(await Fleet.ListHosts(), h => h.Name == busyName);
        Assert.Equal((HostHealth.Healthy, false, 1), (kept.Health, kept.Draining, kept.Running));

        Assert.Equal(HostRemovalStatus.NotFound, (await Fleet.RemoveHost($"{pool["pool"]}-never")).Status);
    }
}
