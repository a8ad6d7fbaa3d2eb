using System.Collections.Immutable;
using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Fleet;

namespace AgentCluster.Tests.Cluster.Grains.Fleet;

/// <summary>
/// The warm pool over a fake engine. The fixture gives hosts labelled warmpool=on a pool of three
/// containers of <see cref="Image"/>, refilled every 200 ms.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WarmPoolTests(ClusterFixture fixture)
{
    public const string Image = "warm-img";
    private const int PoolSize = 3;
    private static readonly ImmutableDictionary<string, string> Pooled = ImmutableDictionary<string, string>.Empty.Add("warmpool", "on");

    [Fact]
    public async Task Concurrent_launches_never_share_a_pooled_container_and_the_pool_refills()
    {
        var (host, engine) = await NewHost(capacity: 50);
        engine.RenameDelay = TimeSpan.FromMilliseconds(50);
        var first = await Full(host);
        Assert.Equal(0, (await host.GetStatus())!.Running);
        Assert.All(first, w => Assert.Equal("paused", State(engine, w.ContainerId)));

        var launches = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => host.Launch(Spec(TimeSpan.FromMinutes(5)))));

        Assert.All(launches, l => Assert.Equal(LaunchStatus.Started, l.Status));
        var ids = launches.Select(l => l.ContainerId!).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        // Every container of the full pool went to one launch (a refill may have served a few more).
        var pooled = launches.Where(l => l.Pooled).Select(l => l.ContainerId!).ToList();
        Assert.Subset(pooled.ToHashSet(), first.Select(w => w.ContainerId).ToHashSet());
        foreach (var id in pooled)
            Assert.Equal("running", State(engine, id));

        // Refilled with new containers; none that was handed out comes back.
        var second = await Full(host);
        Assert.Empty(second.Select(w => w.ContainerId).Intersect(ids));
        Assert.Equal(20, (await host.GetStatus())!.Running);
    }

    [Fact]
    public async Task A_claim_that_fails_kills_its_container_and_the_launch_goes_cold()
    {
        var (host, engine) = await NewHost(capacity: 50);
        var pool = await Full(host);
        engine.FailNextUnpause = true;

        var launch = await host.Launch(Spec(TimeSpan.FromMinutes(5)));

        Assert.Equal((LaunchStatus.Started, false), (launch.Status, launch.Pooled));
        var failed = Assert.Single(engine.Killed);
        Assert.Contains(failed, pool.Select(w => w.ContainerId));
        Assert.DoesNotContain(failed, (await Full(host)).Select(w => w.ContainerId));
        Assert.DoesNotContain(failed, engine.Containers.Select(c => c.Id));
    }

    [Fact]
    public async Task Where_no_proxy_is_reachable_a_session_that_egresses_is_launched_cold_and_leaves_the_pool_alone()
    {
        var (host, _) = await NewHost(capacity: 50);
        var pool = (await Full(host)).Select(w => w.ContainerId).Order().ToList();
        var spec = Spec(TimeSpan.FromMinutes(5));

        var launch = await host.Launch(spec with { Proxy = new ProxyCredential(spec.SessionId, "secret") });

        Assert.Equal((LaunchStatus.Started, false), (launch.Status, launch.Pooled));
        Assert.DoesNotContain(launch.ContainerId, pool);
        Assert.Equal(pool, (await host.GetWarmPool()).Select(w => w.ContainerId).Order().ToList());
    }

    [Fact]
    public async Task A_session_that_egresses_claims_a_pooled_container_and_its_credential_binds_to_that_session_alone()
    {
        var (host, engine) = await NewHost(capacity: 50, proxyAddress: "10.99.0.1");
        var pool = await Full(host);
        var credentials = pool.ToDictionary(w => w.ContainerId, w => PooledCredential(engine, w.ContainerId));
        Assert.Equal(PoolSize, credentials.Values.Select(c => c.User).Distinct().Count());
        foreach (var (user, _) in credentials.Values)
            Assert.Null(await fixture.Grains.GetGrain<IPooledCredentialGrain>(user).BoundSession());

        var specs = Enumerable.Range(0, 2).Select(_ => Spec(TimeSpan.FromMinutes(5))).Select(s => s with { Proxy = new ProxyCredential(s.SessionId, "own") }).ToList();
        var launches = await Task.WhenAll(specs.Select(host.Launch));

        for (var i = 0; i < specs.Count; i++)
        {
            Assert.True(launches[i].Pooled);
            var (user, secret) = credentials[launches[i].ContainerId!];
            Assert.Equal(ProxyCredentials.Hash(secret), launches[i].ProxyCredentialHash);
            Assert.Equal(specs[i].SessionId, await fixture.Grains.GetGrain<IPooledCredentialGrain>(user).BoundSession());
        }
        Assert.NotEqual(launches[0].ProxyCredentialHash, launches[1].ProxyCredentialHash);
        // A spec without a proxy may still take a credentialled container, and binds nothing.
        var plain = await host.Launch(Spec(TimeSpan.FromMinutes(5)));
        Assert.True(plain.Pooled);
        Assert.Null(plain.ProxyCredentialHash);
        Assert.Null(await fixture.Grains.GetGrain<IPooledCredentialGrain>(credentials[plain.ContainerId!].User).BoundSession());
    }

    [Fact]
    public async Task A_second_launch_for_one_session_gets_nothing_from_the_pool()
    {
        var (host, engine) = await NewHost(capacity: 50);
        await Full(host);
        var spec = Spec(TimeSpan.FromMinutes(5));

        var once = await host.Launch(spec);
        var twice = await host.Launch(spec);

        Assert.True(once.Pooled);
        Assert.Equal(LaunchStatus.Failed, twice.Status);
        Assert.Contains("already exists", twice.Error);
        Assert.Single(engine.Containers, c => c.SessionId == spec.SessionId);
    }

    [Fact]
    public async Task Only_fitting_sessions_are_served_from_the_pool()
    {
        var (host, _) = await NewHost(capacity: 50);
        await Full(host);

        Assert.False((await host.Launch(Spec(TimeSpan.FromMinutes(11)))).Pooled);
        Assert.False((await host.Launch(Spec(TimeSpan.FromMinutes(5)) with { MemoryBytes = 512 * SandboxSpec.MiB })).Pooled);
        Assert.False((await host.Launch(Spec(TimeSpan.FromMinutes(5)) with { Image = "other-img" })).Pooled);
        Assert.Equal(PoolSize, (await host.GetWarmPool()).Count);
        Assert.True((await host.Launch(Spec(TimeSpan.FromMinutes(5)))).Pooled);
    }

    [Fact]
    public async Task Reconcile_keeps_the_pool_and_its_claimed_containers_and_kills_stray_pool_containers()
    {
        var (host, engine) = await NewHost(capacity: 50);
        var name = host.GetPrimaryKeyString();
        engine.Backdate = TimeSpan.FromMinutes(1); // past the claim grace: every container is judged
        var pool = await Full(host);
        var claimed = await host.Launch(Spec(TimeSpan.FromMinutes(5)));
        var disowned = Spec(TimeSpan.FromMinutes(5));
        var orphaned = await host.Launch(disowned);
        Assert.True(claimed.Pooled && orphaned.Pooled);
        FakeClaims.Instance.Disowned[disowned.SessionId] = true;

        // Left by an earlier activation: idle ones it held, and ones it bound by name to a session.
        var stray = AddPooled(engine, name, "paused");
        var othersIdle = AddPooled(engine, "another-host", "paused");
        var expired = AddPooled(engine, name, "paused", deadline: DateTimeOffset.UtcNow.AddSeconds(-1));
        var boundLive = AddPooled(engine, name, "running", session: "ses_" + Guid.NewGuid().ToString("N"));
        var boundDead = AddPooled(engine, name, "running", session: "ses_disowned_" + Guid.NewGuid().ToString("N"));
        FakeClaims.Instance.Disowned[engine.Containers.Single(c => c.Id == boundDead).SessionId!] = true;

        var report = await host.Reconcile();

        Assert.Null(report.Error);
        Assert.Equal(new[] { stray, expired, boundDead }.Order(), report.Killed.Order());
        var left = engine.Containers.Select(c => c.Id).ToList();
        Assert.Contains(claimed.ContainerId!, left);
        // Claimed a moment ago: it has the grace of a fresh launch whose session may not have recorded it yet.
        Assert.Contains(orphaned.ContainerId!, left);
        Assert.Contains(othersIdle, left);
        Assert.Contains(boundLive, left);
        Assert.Equal(PoolSize, (await host.GetWarmPool()).Count);
        Assert.All(await host.GetWarmPool(), w => Assert.Contains(w.ContainerId, left));
        Assert.DoesNotContain(pool[0].ContainerId, (await host.GetWarmPool()).Select(w => w.ContainerId));
    }

    [Fact]
    public async Task The_pool_fills_only_the_slots_sessions_leave_free()
    {
        var (host, engine) = await NewHost(capacity: 2);
        var pool = await Eventually(host, p => p.Count == 2);
        await Task.Delay(600); // three refill ticks: still no third one
        Assert.Equal(2, (await host.GetWarmPool()).Count);

        Assert.True((await host.Launch(Spec(TimeSpan.FromMinutes(5)))).Pooled);
        Assert.True((await host.Launch(Spec(TimeSpan.FromMinutes(5)))).Pooled);
        Assert.Equal(LaunchStatus.NoCapacity, (await host.Launch(Spec(TimeSpan.FromMinutes(5)))).Status);
        await Task.Delay(600);
        Assert.Empty(await host.GetWarmPool());
        Assert.Equal(2, engine.Containers.Count);
        Assert.Equal(2, pool.Count);
    }

    private async Task<(IDockerHostGrain Host, FakeEngine Engine)> NewHost(int capacity, string? proxyAddress = null)
    {
        var endpoint = FakeEngines.NewEndpoint();
        FakeEngines.Instance.For(endpoint).ProxyAddress = proxyAddress;
        var host = fixture.Grains.GetGrain<IDockerHostGrain>("warm-" + Guid.NewGuid().ToString("N"));
        await host.Register(new DockerHostRegistration(endpoint, null, capacity, Pooled));
        await host.Reconcile();
        return (host, FakeEngines.Instance.For(endpoint));
    }

    private static SandboxSpec Spec(TimeSpan ttl) =>
        SandboxSpec.Create("ses_" + Guid.NewGuid().ToString("N"), "t", Image, DateTimeOffset.UtcNow + ttl);

    private static Task<IReadOnlyList<WarmSandbox>> Full(IDockerHostGrain host) => Eventually(host, p => p.Count == PoolSize);

    private static async Task<IReadOnlyList<WarmSandbox>> Eventually(IDockerHostGrain host, Func<IReadOnlyList<WarmSandbox>, bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var pool = await host.GetWarmPool();
            if (condition(pool))
                return pool;
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"the warm pool of {host.GetPrimaryKeyString()} has {pool.Count} containers");
            await Task.Delay(50);
        }
    }

    /// <summary>The user and secret of a pooled container's HTTP_PROXY, as its sandbox would read them.</summary>
    private static (string User, string Secret) PooledCredential(FakeEngine engine, string id)
    {
        var url = engine.Env[id].Single(e => e.StartsWith("HTTP_PROXY=", StringComparison.Ordinal))["HTTP_PROXY=".Length..];
        var userinfo = new Uri(url).UserInfo.Split(':');
        return (userinfo[0], userinfo[1]);
    }

    private static string State(FakeEngine engine, string id) => engine.Containers.Single(c => c.Id == id).State;

    /// <summary>A pool container a minute old; renamed to the session's name when it has one.</summary>
    private static string AddPooled(FakeEngine engine, string host, string state, DateTimeOffset? deadline = null, string? session = null)
    {
        var poolId = "pool-" + Guid.NewGuid().ToString("N");
        var labels = new Dictionary<string, string>
        {
            [SandboxLabels.Session] = poolId,
            [SandboxLabels.Pool] = host,
            [SandboxLabels.Deadline] = (deadline ?? DateTimeOffset.UtcNow.AddHours(1)).ToUnixTimeMilliseconds().ToString(),
        };
        return engine.Add(labels, DateTimeOffset.UtcNow.AddMinutes(-1), state, SandboxContainerSpec.ContainerName(session ?? poolId));
    }
}
