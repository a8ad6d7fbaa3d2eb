using System.Collections.Immutable;
using AgentCluster.Grains.Fleet;

namespace AgentCluster.Tests.Cluster.Grains.Fleet;

/// <summary>
/// The host grain over a fake engine. The fixture's reconcile interval is long, so each test drives
/// the checks itself with Reconcile() and nothing happens behind its back.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DockerHostGrainTests(ClusterFixture fixture)
{
    private static readonly ImmutableDictionary<string, string> NoLabels = ImmutableDictionary<string, string>.Empty;

    private (IDockerHostGrain Host, FakeEngine Engine, string Endpoint) NewHost()
    {
        var endpoint = FakeEngines.NewEndpoint();
        return (fixture.Grains.GetGrain<IDockerHostGrain>("h-" + Guid.NewGuid().ToString("N")), FakeEngines.Instance.For(endpoint), endpoint);
    }

    private static SandboxSpec Spec(TimeSpan ttl) =>
        SandboxSpec.Create("ses_" + Guid.NewGuid().ToString("N"), "t", "img", DateTimeOffset.UtcNow + ttl);

    [Fact]
    public async Task After_three_failed_checks_a_host_is_unhealthy_and_takes_no_work()
    {
        var (host, engine, endpoint) = NewHost();
        await host.Register(new DockerHostRegistration(endpoint, null, 5, NoLabels));
        await host.Reconcile();
        Assert.Equal(HostHealth.Healthy, (await host.GetStatus())!.Health);

        engine.Down = true;
        await host.Reconcile();
        await host.Reconcile();
        var two = (await host.GetStatus())!;
        Assert.Equal((HostHealth.Healthy, 2), (two.Health, two.ConsecutiveFailures));
        await host.Reconcile();
        var three = (await host.GetStatus())!;
        Assert.Equal((HostHealth.Unhealthy, 3), (three.Health, three.ConsecutiveFailures));
        Assert.Equal("engine is down", three.LastError);

        var launch = await host.Launch(Spec(TimeSpan.FromMinutes(1)));
        Assert.Equal(LaunchStatus.HostUnavailable, launch.Status);
        Assert.Equal(0, engine.Creates);
    }

    [Fact]
    public async Task A_host_that_comes_back_is_reconciled_before_it_is_healthy_again()
    {
        var (host, engine, endpoint) = NewHost();
        await host.Register(new DockerHostRegistration(endpoint, null, 5, NoLabels));
        engine.Down = true;
        for (var i = 0; i < 3; i++)
            await host.Reconcile();
        Assert.Equal(HostHealth.Unhealthy, (await host.GetStatus())!.Health);

        var leftover = engine.Add(DateTimeOffset.UtcNow.AddSeconds(-1), "ses_leftover");
        engine.KillGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        engine.Down = false;
        var check = host.Reconcile();
        while (Volatile.Read(ref engine.KillsWaiting) == 0)
            await Task.Delay(10);

        // Up again, but its leftover is not dead yet: not Healthy, and no new work.
        Assert.Equal(HostHealth.Unhealthy, (await host.GetStatus())!.Health);
        Assert.Equal(LaunchStatus.HostUnavailable, (await host.Launch(Spec(TimeSpan.FromMinutes(1)))).Status);

        engine.KillGate.SetResult();
        var report = await check;
        Assert.Equal(leftover, Assert.Single(report.Killed));
        Assert.Equal(HostHealth.Healthy, (await host.GetStatus())!.Health);
        Assert.Empty(engine.Containers);
    }

    [Fact]
    public async Task Reconcile_kills_the_expired_and_the_unclaimed_and_keeps_the_rest()
    {
        var (host, engine, endpoint) = NewHost();
        await host.Register(new DockerHostRegistration(endpoint, null, 5, NoLabels));
        await host.Reconcile();
        var old = DateTimeOffset.UtcNow.AddMinutes(-1);
        var expired = engine.Add(DateTimeOffset.UtcNow.AddMilliseconds(-1), "ses_a", old);
        var unclaimed = engine.Add(DateTimeOffset.UtcNow.AddMinutes(5), "ses_disowned_" + Guid.NewGuid().ToString("N"), old);
        var young = engine.Add(DateTimeOffset.UtcNow.AddMinutes(5), "ses_young_" + Guid.NewGuid().ToString("N"));
        var claimed = engine.Add(DateTimeOffset.UtcNow.AddMinutes(5), "ses_b", old);
        FakeClaims.Instance.Disowned[engine.Containers.Single(c => c.Id == unclaimed).SessionId!] = true;
        FakeClaims.Instance.Disowned[engine.Containers.Single(c => c.Id == young).SessionId!] = true;

        var report = await host.Reconcile();

        Assert.Equal(4, report.Listed);
        Assert.Equal(new[] { expired, unclaimed }.Order(), report.Killed.Order());
        Assert.Equal(new[] { claimed, young }.Order(), engine.Containers.Select(c => c.Id).Order());
        Assert.Equal(2, (await host.GetStatus())!.Running);
    }

    [Fact]
    public async Task Capacity_is_counted_from_the_engine_and_a_full_host_creates_nothing()
    {
        var (host, engine, endpoint) = NewHost();
        engine.Add(DateTimeOffset.UtcNow.AddMinutes(5), "ses_there_before");
        await host.Register(new DockerHostRegistration(endpoint, null, 2, NoLabels));

        var first = await host.Launch(Spec(TimeSpan.FromMinutes(5)));
        Assert.Equal(LaunchStatus.Started, first.Status);
        var full = await host.Launch(Spec(TimeSpan.FromMinutes(5)));
        Assert.Equal(LaunchStatus.NoCapacity, full.Status);
        Assert.Equal(1, engine.Creates);

        Assert.True(await host.Kill(first.ContainerId!));
        Assert.False(await host.Kill(first.ContainerId!));
        Assert.Equal(LaunchStatus.Started, (await host.Launch(Spec(TimeSpan.FromMinutes(5)))).Status);
    }

    [Fact]
    public async Task A_container_a_reconcile_lists_while_its_launch_is_under_way_is_counted_once()
    {
        var (host, engine, endpoint) = NewHost();
        await host.Register(new DockerHostRegistration(endpoint, null, 2, NoLabels));
        await host.Reconcile();
        engine.StartGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var launching = host.Launch(Spec(TimeSpan.FromMinutes(5)));
        for (var i = 0; i < 200 && engine.Containers.Count == 0; i++)
            await Task.Delay(10);
        Assert.Single(engine.Containers);
        await host.Reconcile();

        // Created and listed, not yet returned: one sandbox, so the second slot is still free.
        Assert.Equal(1, (await host.GetStatus())!.Running);
        engine.StartGate.SetResult();
        Assert.Equal(LaunchStatus.Started, (await launching).Status);
        Assert.Equal(1, (await host.GetStatus())!.Running);
        engine.StartGate = null;
        Assert.Equal(LaunchStatus.Started, (await host.Launch(Spec(TimeSpan.FromMinutes(5)))).Status);
    }

    [Fact]
    public async Task A_launched_container_is_killed_at_its_deadline_without_waiting_for_a_reconcile()
    {
        var (host, engine, endpoint) = NewHost();
        await host.Register(new DockerHostRegistration(endpoint, null, 5, NoLabels));
        var launch = await host.Launch(Spec(TimeSpan.FromMilliseconds(700)));
        Assert.Equal(LaunchStatus.Started, launch.Status);

        var until = DateTime.UtcNow.AddSeconds(10); // the reconcile interval here is 30 s
        while (!engine.Killed.Contains(launch.ContainerId!) && DateTime.UtcNow < until)
            await Task.Delay(50);
        Assert.Contains(launch.ContainerId!, engine.Killed);
        Assert.Equal(0, (await host.GetStatus())!.Running);
    }

    [Fact]
    public async Task Drain_stops_new_work_and_a_new_endpoint_must_be_checked_again()
    {
        var (host, _, endpoint) = NewHost();
        await host.Register(new DockerHostRegistration(endpoint, null, 5, NoLabels));
        await host.Reconcile();
        Assert.True((await host.Drain()).Draining);
        Assert.Equal(LaunchStatus.HostUnavailable, (await host.Launch(Spec(TimeSpan.FromMinutes(1)))).Status);
        Assert.False((await host.Resume()).Draining);

        var moved = await host.Register(new DockerHostRegistration(FakeEngines.NewEndpoint(), null, 5, NoLabels));
        Assert.Equal(HostHealth.Unknown, moved.Health);
        await host.Reconcile();
        Assert.Equal(HostHealth.Healthy, (await host.GetStatus())!.Health);
        await Assert.ThrowsAsync<ArgumentException>(() => host.Register(new DockerHostRegistration("tcp://10.1.2.3:2375", null, 5, NoLabels)));
    }
}
