using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;
using static AgentCluster.Tests.Unit.Grains.Fleet.Hosts.HostTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

public sealed class WarmPoolTests
{
    private static readonly WarmPoolEntry Entry = new() { Image = "agentcluster/sandbox:local", Size = 2 };
    private static readonly WarmPoolEntry Other = new() { Image = "agentcluster/sandbox:other", Size = 1 };

    private readonly HandClock _clock = new(Now);
    private readonly WarmPool _pool;

    public WarmPoolTests() => _pool = new WarmPool(new WarmPoolOptions { CreatesAtOnce = 2, Pools = [Entry, Other] }, _clock);

    private static WarmPool.Warm Made(string id, WarmPoolEntry? entry = null, int generation = 0, long epoch = 0, TimeSpan? age = null) =>
        new("10.0.0.2", entry ?? Entry, Pooled(id, "pool-" + id, created: Now - (age ?? TimeSpan.FromMinutes(1))), generation, epoch);

    private WarmPool.Warm Add(string id, WarmPoolEntry? entry = null, int generation = 0, long epoch = 0, TimeSpan? age = null)
    {
        var warm = Made(id, entry, generation, epoch, age);
        _pool.Add(warm);
        return warm;
    }

    [Fact]
    public void A_launch_takes_the_oldest_fitting_container_and_it_leaves_the_pool_for_good()
    {
        Add("p1");
        Add("p2");
        Assert.Equal("p1", _pool.Take(Spec(), generation: 0)?.Id);
        Assert.Equal("p2", _pool.Take(Spec(), generation: 0)?.Id);
        Assert.Null(_pool.Take(Spec(), generation: 0));
    }

    [Fact]
    public void No_container_is_taken_for_another_spec_a_longer_ttl_or_from_an_engine_the_host_left()
    {
        Add("p1");
        Assert.Null(_pool.Take(Spec() with { Image = "agentcluster/sandbox:else" }, generation: 0));
        Assert.Null(_pool.Take(Spec(Entry.MaxSessionTtl + TimeSpan.FromSeconds(1)), generation: 0));
        Assert.Null(_pool.Take(Spec(), generation: 1));
        Assert.Equal("p1", _pool.Take(Spec(Entry.MaxSessionTtl), generation: 0)?.Id);
    }

    [Fact]
    public void A_claimed_container_is_judged_by_its_sessions_tenant_deadline_and_name_and_is_young_from_the_claim()
    {
        var warm = Add("p1");
        var claimAt = Now.AddSeconds(3);
        _clock.Now = claimAt;
        var spec = Spec();
        _pool.Bind(warm, spec, epoch: 1);

        var seen = _pool.Claimed(warm.Container with { State = "running" });

        Assert.NotNull(seen);
        Assert.Equal((spec.Tenant, spec.Deadline, spec.SessionId, claimAt), (seen.Tenant, seen.Deadline, seen.SessionId, seen.Created));
        Assert.Null(_pool.Claimed(Pooled("p2", "pool-p2")));
    }

    [Fact]
    public void A_claimed_container_keeps_the_earlier_of_its_label_and_its_sessions_deadline_and_follows_an_extension()
    {
        var warm = Add("p1");
        _pool.Bind(warm, Spec(TimeSpan.FromMinutes(30)), epoch: 1);
        var early = warm.Container with { Labels = Pooled("p1", "pool-p1", deadline: Now.AddMinutes(20)).Labels };
        Assert.Equal(Now.AddMinutes(20), _pool.Claimed(early)?.Deadline);

        _pool.Extend("p1", Now.AddMinutes(40));
        Assert.Equal(Now.AddMinutes(40), _pool.Claimed(warm.Container)?.Deadline);
    }

    [Fact]
    public void The_pool_holds_idle_containers_it_made_is_making_or_that_another_host_made()
    {
        var held = Add("p1", epoch: 5);
        Assert.True(_pool.HoldsIdle(held.Container, "h1", listedAt: 5));
        Assert.False(_pool.HoldsIdle(Pooled("p9", "pool-p9"), "h1", listedAt: 5));
        Assert.True(_pool.HoldsIdle(Pooled("p9", "pool-p9", host: "h2"), "h1", listedAt: 5));

        var poolId = _pool.BeginMaking(Entry);
        Assert.True(_pool.HoldsIdle(Pooled("p8", poolId), "h1", listedAt: 5));
        _pool.EndMaking(Entry, poolId);
        Assert.False(_pool.HoldsIdle(Pooled("p8", poolId), "h1", listedAt: 5));
    }

    [Fact]
    public void A_held_container_listed_unpaused_is_held_only_if_it_joined_after_the_list_began()
    {
        var held = Add("p1", epoch: 5);
        var listedRunning = held.Container with { State = "running" };
        Assert.False(_pool.HoldsIdle(listedRunning, "h1", listedAt: 5));
        Assert.True(_pool.HoldsIdle(listedRunning, "h1", listedAt: 4));
    }

    [Fact]
    public void After_a_reconcile_what_the_engine_no_longer_has_is_neither_pooled_nor_bound_unless_bound_since_the_list_began()
    {
        Add("gone");
        Add("kept");
        var before = Made("bound-before");
        var since = Made("bound-since");
        _pool.Bind(before, Spec(), epoch: 2);
        _pool.Bind(since, Spec(), epoch: 9);

        _pool.Prune(listedAt: 5, id => id == "kept");

        Assert.Equal(["kept"], _pool.Sandboxes.Select(s => s.ContainerId));
        Assert.Null(_pool.Claimed(before.Container));
        Assert.NotNull(_pool.Claimed(since.Container));
    }

    [Fact]
    public void Forgotten_containers_leave_the_pool_and_their_binding()
    {
        var warm = Add("p1");
        _pool.Bind(warm, Spec(), epoch: 1);
        _pool.Forget("p1");
        Assert.Empty(_pool.Sandboxes);
        Assert.Null(_pool.Claimed(warm.Container));
    }

    [Fact]
    public void Stale_means_idle_too_long_of_a_pool_no_longer_kept_or_any_when_the_host_may_not_warm()
    {
        Add("fresh");
        Add("old", age: Entry.IdleTtl);
        Add("unwanted", entry: Other);
        var pools = new HashSet<WarmPoolEntry> { Entry };

        Assert.Equal(["old", "unwanted"], _pool.TakeStale(generation: 0, canWarm: true, pools).Select(w => w.Id));
        Assert.Equal(["fresh"], _pool.Sandboxes.Select(s => s.ContainerId));
        Assert.Equal(["fresh"], _pool.TakeStale(generation: 0, canWarm: false, pools).Select(w => w.Id));
    }

    [Fact]
    public void Containers_of_an_engine_the_host_left_are_dropped_without_a_kill()
    {
        Add("p1", generation: 0);
        Assert.Empty(_pool.TakeStale(generation: 1, canWarm: true, new HashSet<WarmPoolEntry> { Entry }));
        Assert.Empty(_pool.Sandboxes);
    }

    [Fact]
    public void The_pool_fills_what_is_missing_at_most_creates_at_once_and_only_in_slots_sessions_leave_free()
    {
        Assert.Equal([Entry, Entry], _pool.NextToWarm([Entry, Other], free: 10));
        Assert.Equal([Entry], _pool.NextToWarm([Entry, Other], free: 1));

        Add("p1");
        var making = _pool.BeginMaking(Entry);
        Assert.Equal([Other], _pool.NextToWarm([Entry, Other], free: 10));
        Assert.Empty(_pool.NextToWarm([Entry, Other], free: 2));
        _pool.EndMaking(Entry, making);
    }

    [Fact]
    public void A_run_of_failures_to_warm_is_reported_once()
    {
        Assert.True(_pool.Failed());
        Assert.False(_pool.Failed());
        Add("p1");
        Assert.True(_pool.Failed());
    }

    [Fact]
    public void Pool_ids_are_new_every_time()
    {
        var a = _pool.BeginMaking(Entry);
        var b = _pool.BeginMaking(Entry);
        Assert.NotEqual(a, b);
        Assert.StartsWith("pool-", a, StringComparison.Ordinal);
    }
}
