using AgentCluster.ComputerProtocol;
using AgentCluster.Grains.Computer;
using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Integration.Infrastructure;
using Docker.DotNet;
using Microsoft.Extensions.Logging.Abstractions;
using static AgentCluster.Tests.Integration.Grains.Computer.DesktopContainer;

namespace AgentCluster.Tests.Integration.Grains.Fleet;

/// <summary>
/// The warm pool of desktops on real engines: paused with the browser up, claimed once and at
/// once showing the browser, refilled, and killed when its host drains or leaves the fleet.
/// </summary>
public sealed class DesktopPoolTests(DesktopPoolSilo silo) : IClassFixture<DesktopPoolSilo>
{
    private static readonly (byte, byte, byte) White = (255, 255, 255), Green = (0, 200, 0);

    [Fact]
    public async Task A_desktop_claimed_from_the_pool_shows_its_browser_in_its_first_screenshot_and_renders_a_page()
    {
        var pool = await Full(silo.Host(0));
        foreach (var warm in pool)
        {
            var inspect = await silo.Docker[0].Containers.InspectContainerAsync(warm.ContainerId);
            Assert.True(inspect.State.Paused, $"{warm.ContainerId} is {inspect.State.Status}");
            Assert.True(inspect.Config.OpenStdin);
            Assert.Equal((SandboxSpec.DesktopPidsLimit, SandboxContainerSpec.DesktopShmSizeBytes), (inspect.HostConfig.PidsLimit, inspect.HostConfig.ShmSize));
            Assert.Contains(inspect.HostConfig.SecurityOpt, o => o.StartsWith("seccomp=", StringComparison.Ordinal) && o.Contains("\"unshare\"", StringComparison.Ordinal));
            Assert.True(inspect.HostConfig.ReadonlyRootfs);
        }

        var launch = await silo.Host(0).Launch(silo.Spec(TimeSpan.FromMinutes(5)));
        try
        {
            Assert.Equal((LaunchStatus.Started, true), (launch.Status, launch.Pooled));
            Assert.Contains(launch.ContainerId, pool.Select(w => w.ContainerId));
            using var engine = Engine(0);
            await using var channel = new ComputerChannel(engine, launch.ContainerId!, ComputerChannel.DefaultTimeout, NullLogger.Instance);

            // No wait for a start: the browser was up before the pause, so its blank page is on the screen already.
            var first = PngImage.Decode((await channel.SendAsync(new ComputerRequest { Action = ComputerActions.Screenshot })).Png!);
            Assert.Equal((Width, Height), (first.Width, first.Height));
            Assert.True(Near(first.Pixel(DesktopScreen.BlankX, DesktopScreen.BlankY), White), $"the page area of the first screenshot is {first.Pixel(DesktopScreen.BlankX, DesktopScreen.BlankY)}, not the browser's blank page");
            Assert.False(Near(first.Pixel(Width / 2, 10), (0, 0, 0)), "the browser's tab strip is at the top");

            await channel.SendAsync(new ComputerRequest { Action = ComputerActions.Navigate, Url = "data:text/html,<body style=\"margin:0;background:rgb(0,200,0)\"></body>" });
            await Eventually.True(async () => Near(PngImage.Decode((await channel.SendAsync(
                new ComputerRequest { Action = ComputerActions.Screenshot, Region = new ScreenRegion(600, 500, 1, 1) })).Png!).Pixel(0, 0), Green),
                "the claimed desktop to show the green page", TimeSpan.FromSeconds(30));
        }
        finally
        {
            if (launch.ContainerId is not null)
                await silo.Host(0).Kill(launch.ContainerId);
        }
        await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => silo.Docker[0].Containers.InspectContainerAsync(launch.ContainerId));
    }

    [Fact]
    public async Task Concurrent_desktop_claims_never_share_a_container_and_the_pool_refills()
    {
        const int Claims = DesktopPoolSilo.DesktopPoolSize + 1;
        var engine = 1 % silo.Endpoints.Count;
        var first = await Full(silo.Host(engine));
        var launches = new List<LaunchResult>();
        try
        {
            launches.AddRange(await Task.WhenAll(Enumerable.Range(0, Claims).Select(_ => silo.Host(engine).Launch(silo.Spec(TimeSpan.FromMinutes(5))))));

            Assert.All(launches, l => Assert.Equal(LaunchStatus.Started, l.Status));
            var ids = launches.Select(l => l.ContainerId!).ToList();
            Assert.Equal(Claims, ids.Distinct().Count());
            var pooled = launches.Where(l => l.Pooled).Select(l => l.ContainerId!).ToHashSet();
            Assert.NotEmpty(pooled);
            Assert.Subset(first.Select(w => w.ContainerId).ToHashSet(), pooled);
            foreach (var id in ids)
                Assert.True((await silo.Docker[engine].Containers.InspectContainerAsync(id)).State is { Running: true, Paused: false });

            var refilled = await Full(silo.Host(engine));
            Assert.Empty(refilled.Select(w => w.ContainerId).Intersect(ids));
        }
        finally
        {
            foreach (var launch in launches.Where(l => l.ContainerId is not null))
                await silo.Host(engine).Kill(launch.ContainerId!);
        }
    }

    [Fact]
    public async Task A_pooled_desktop_waits_at_its_own_cpu_cap_runs_at_the_boosts_from_its_claim_then_at_its_own_again()
    {
        var pool = await Full(silo.Host(0));
        var own = SandboxSpec.DefaultNanoCpus;
        foreach (var warm in pool)
        {
            var inspect = await silo.Docker[0].Containers.InspectContainerAsync(warm.ContainerId);
            Assert.Equal(own, inspect.HostConfig.NanoCPUs);
            Assert.Equal(own.ToString(System.Globalization.CultureInfo.InvariantCulture), inspect.Config.Labels[SandboxLabels.Cpus]);
        }

        var launch = await silo.Host(0).Launch(silo.Spec(TimeSpan.FromMinutes(5)));
        try
        {
            Assert.Equal((LaunchStatus.Started, true), (launch.Status, launch.Pooled));
            // The kernel's quota per 100 ms period, read from the container's own cgroup: the default 1 CPU, boosted to 2
            // (beside the claim's hand-off, not waited for by the claim).
            await Eventually.True(async () => await KernelCpuQuota(launch.ContainerId!) == "200000 100000", "the claimed desktop boosted", TimeSpan.FromSeconds(3));
            await Eventually.True(async () => await KernelCpuQuota(launch.ContainerId!) == "100000 100000", "the claimed desktop back at its own cap", TimeSpan.FromSeconds(30));
            Assert.Equal(own, (await silo.Docker[0].Containers.InspectContainerAsync(launch.ContainerId)).HostConfig.NanoCPUs);
            foreach (var idle in (await silo.Host(0).GetWarmPool()).Where(w => w.ContainerId != launch.ContainerId))
                Assert.Equal(own, (await silo.Docker[0].Containers.InspectContainerAsync(idle.ContainerId)).HostConfig.NanoCPUs);
        }
        finally
        {
            if (launch.ContainerId is not null)
                await silo.Host(0).Kill(launch.ContainerId);
        }
    }

    [Fact]
    public async Task The_refill_after_a_desktop_claim_is_made_only_after_the_quiet_window_that_leaves_the_first_page_the_cpu()
    {
        var pool = await Full(silo.Host(0));
        var before = DateTime.UtcNow;
        var launch = await silo.Host(0).Launch(silo.Spec(TimeSpan.FromMinutes(5)));
        try
        {
            Assert.Equal((LaunchStatus.Started, true), (launch.Status, launch.Pooled));
            var refilled = await Full(silo.Host(0));
            var made = Assert.Single(refilled.Select(w => w.ContainerId).Except(pool.Select(w => w.ContainerId)));
            var created = (await silo.Docker[0].Containers.InspectContainerAsync(made)).Created.ToUniversalTime();
            Assert.True(created >= before + new WarmPoolOptions().AfterDesktopClaim,
                $"the refill {made} was created at {created:O}, within {new WarmPoolOptions().AfterDesktopClaim} of the claim's start at {before:O}");
        }
        finally
        {
            if (launch.ContainerId is not null)
                await silo.Host(0).Kill(launch.ContainerId);
        }
    }

    /// <summary>
    /// "quota period" from the container's cgroup as the host's kernel has it: the desktop image
    /// has no shell to read it from inside. cgroup v2's cpu.max, else v1's two files.
    /// </summary>
    private async Task<string> KernelCpuQuota(string container)
    {
        var pid = (await silo.Docker[0].Containers.InspectContainerAsync(container)).State.Pid;
        var lines = await File.ReadAllLinesAsync($"/proc/{pid}/cgroup");
        if (lines.FirstOrDefault(l => l.Split(':')[1].Split(',').Contains("cpu")) is { } v1)
        {
            var dir = $"/sys/fs/cgroup/{v1.Split(':')[1]}{v1.Split(':')[2]}";
            return $"{(await File.ReadAllTextAsync(dir + "/cpu.cfs_quota_us")).Trim()} {(await File.ReadAllTextAsync(dir + "/cpu.cfs_period_us")).Trim()}";
        }
        var v2 = lines.Single(l => l.StartsWith("0::", StringComparison.Ordinal));
        return (await File.ReadAllTextAsync($"/sys/fs/cgroup{v2[3..]}/cpu.max")).Trim();
    }

    [Fact]
    public async Task A_draining_host_kills_its_warm_desktops_and_a_removed_host_leaves_none_behind()
    {
        var name = $"{silo.PoolLabel}-x{Guid.NewGuid():N}"[..24];
        var host = silo.Grains.GetGrain<IDockerHostGrain>(name);
        await host.Register(new DockerHostRegistration(silo.Endpoints[0], null, 10, FleetSilo.Labels(("warmpool", silo.PoolLabel))));
        try
        {
            await Eventually.Healthy(host);
            await Full(host);

            await host.Drain();
            await Eventually.True(async () => (await host.GetWarmPool()).Count == 0 && await PoolContainers(name) == 0,
                "the draining host's warm desktops to be killed", TimeSpan.FromSeconds(30));

            // Removed while it makes its pool again: what it was making dies too.
            await host.Resume();
            await Eventually.True(async () => await PoolContainers(name) > 0, "the resumed host to make a warm desktop", TimeSpan.FromSeconds(30));
            Assert.Equal(HostRemovalStatus.Removed, (await host.Remove()).Status);
            await Eventually.True(async () => await PoolContainers(name) == 0, "the removed host's desktops to be killed", TimeSpan.FromSeconds(60));
            // A make that was under way when the host left ends in a kill, not in a pool nobody keeps.
            await Task.Delay(ComputerRequest.BrowserWindowPatience / 4);
            Assert.Equal(0, await PoolContainers(name));
        }
        finally
        {
            if (await host.GetStatus() is not null)
                await host.Remove();
        }
    }

    private DockerEngine Engine(int engine) => new(DockerEndpoint.Parse(silo.Endpoints[engine], null), new FleetOptions(), NullLogger.Instance);

    private async Task<int> PoolContainers(string host) =>
        (await DockerHosts.Containers(silo.Endpoints[0], $"{SandboxLabels.Pool}={host}")).Count;

    private static async Task<IReadOnlyList<WarmSandbox>> Full(IDockerHostGrain host)
    {
        IReadOnlyList<WarmSandbox> pool = [];
        await Eventually.True(async () => (pool = await host.GetWarmPool()).Count == DesktopPoolSilo.DesktopPoolSize,
            $"the desktop pool of {host.GetPrimaryKeyString()} to fill", TimeSpan.FromSeconds(90));
        return pool;
    }
}
