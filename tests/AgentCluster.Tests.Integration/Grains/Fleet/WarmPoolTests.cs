using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Integration.Infrastructure;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace AgentCluster.Tests.Integration.Grains.Fleet;

/// <summary>The warm pool on real engines: paused, hardened, claimed once, refilled, and swept after a crash.</summary>
public sealed class WarmPoolTests(WarmPoolSilo silo) : IClassFixture<WarmPoolSilo>
{
    [Fact]
    public async Task The_pool_fills_with_paused_hardened_containers_and_a_claim_returns_a_running_one()
    {
        var pool = await Full(0);
        foreach (var warm in pool)
        {
            var inspect = await silo.Docker[0].Containers.InspectContainerAsync(warm.ContainerId);
            Assert.True(inspect.State.Paused, $"{warm.ContainerId} is {inspect.State.Status}");
            Assert.Equal(silo.HostName(0), inspect.Config.Labels[SandboxLabels.Pool]);
            Assert.True(inspect.HostConfig.ReadonlyRootfs);
            Assert.Equal(["ALL"], inspect.HostConfig.CapDrop);
            Assert.Contains("no-new-privileges:true", inspect.HostConfig.SecurityOpt);
            Assert.Equal("1001:1001", inspect.Config.User);
            Assert.Empty(inspect.Mounts);
            Assert.Equal("agentcluster-sandbox", inspect.HostConfig.NetworkMode);
        }

        var spec = silo.Spec(TimeSpan.FromMinutes(2));
        var launch = await silo.Host(0).Launch(spec);
        try
        {
            Assert.Equal((LaunchStatus.Started, true), (launch.Status, launch.Pooled));
            Assert.Contains(launch.ContainerId, pool.Select(w => w.ContainerId));
            var claimed = await silo.Docker[0].Containers.InspectContainerAsync(launch.ContainerId);
            Assert.True(claimed.State is { Running: true, Paused: false }, $"claimed container is {claimed.State.Status}");
            Assert.Equal("/agentcluster-" + spec.SessionId, claimed.Name);
            Assert.Equal(launch.IpAddress, claimed.NetworkSettings.Networks["agentcluster-sandbox"].IPAddress);
        }
        finally
        {
            await silo.Host(0).Kill(launch.ContainerId!);
        }
        await Assert.ThrowsAsync<DockerContainerNotFoundException>(() => silo.Docker[0].Containers.InspectContainerAsync(launch.ContainerId));
    }

    [Fact]
    public async Task Concurrent_claims_never_share_a_container_and_the_pool_refills()
    {
        const int Claims = 8;
        var engine = 1 % silo.Endpoints.Count;
        var first = await Full(engine);
        var launches = new List<LaunchResult>();
        try
        {
            launches.AddRange(await Task.WhenAll(Enumerable.Range(0, Claims).Select(_ => silo.Host(engine).Launch(silo.Spec(TimeSpan.FromMinutes(2))))));

            Assert.All(launches, l => Assert.Equal(LaunchStatus.Started, l.Status));
            var ids = launches.Select(l => l.ContainerId!).ToList();
            Assert.Equal(Claims, ids.Distinct().Count());
            Assert.Subset(launches.Where(l => l.Pooled).Select(l => l.ContainerId!).ToHashSet(), first.Select(w => w.ContainerId).ToHashSet());
            foreach (var id in ids)
                Assert.True((await silo.Docker[engine].Containers.InspectContainerAsync(id)).State is { Running: true, Paused: false });

            var refilled = await Full(engine);
            Assert.Empty(refilled.Select(w => w.ContainerId).Intersect(ids));
        }
        finally
        {
            foreach (var launch in launches.Where(l => l.ContainerId is not null))
                await silo.Host(engine).Kill(launch.ContainerId!);
        }
    }

    [Fact]
    public async Task Pool_containers_left_by_a_crash_are_killed_by_reconcile()
    {
        await Full(0);
        var stray = await StartLeftover(0, DateTimeOffset.UtcNow.AddHours(1), pause: true);
        // Not paused: the reconcile may kill it before a pause could reach it.
        var expired = await StartLeftover(0, DateTimeOffset.UtcNow.AddSeconds(-1), pause: false);

        await Eventually.True(async () => !(await silo.Ours(0)).Any(c => c.ID == stray || c.ID == expired),
            "the stray and the expired pool containers to be killed", TimeSpan.FromSeconds(15));
        Assert.Equal(WarmPoolSilo.PoolSize, (await Full(0)).Count);
    }

    private async Task<IReadOnlyList<WarmSandbox>> Full(int engine)
    {
        IReadOnlyList<WarmSandbox> pool = [];
        await Eventually.True(async () => (pool = await silo.Host(engine).GetWarmPool()).Count == WarmPoolSilo.PoolSize,
            $"the warm pool of {silo.HostName(engine)} to fill", TimeSpan.FromSeconds(30));
        return pool;
    }

    /// <summary>A container with this host's pool labels that its pool never held, as a crashed silo leaves it.</summary>
    private async Task<string> StartLeftover(int engine, DateTimeOffset deadline, bool pause)
    {
        var poolId = "pool-" + Guid.NewGuid().ToString("N");
        var created = await silo.Docker[engine].Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = "agentcluster-" + poolId,
            Image = silo.Image,
            Labels = new Dictionary<string, string>
            {
                [SandboxLabels.Session] = poolId,
                [SandboxLabels.Pool] = silo.HostName(engine),
                [SandboxLabels.Deadline] = deadline.ToUnixTimeMilliseconds().ToString(),
            },
            HostConfig = new HostConfig { NetworkMode = "none" },
        });
        await silo.Docker[engine].Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        try
        {
            if (pause)
                await silo.Docker[engine].Containers.PauseContainerAsync(created.ID);
        }
        catch (DockerApiException)
        {
            // Listed with a creation time rounded down to the second, it may be killed before the pause: as good.
        }
        return created.ID;
    }
}
