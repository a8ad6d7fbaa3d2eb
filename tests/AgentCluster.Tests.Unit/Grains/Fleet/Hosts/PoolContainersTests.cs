using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using Microsoft.Extensions.Logging.Abstractions;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

public sealed class PoolContainersTests
{
    private readonly TestHost _host = new();
    private readonly PoolContainers _containers;
    private readonly List<(string Id, string SecretHash, DateTimeOffset Expires)> _issued = [];

    public PoolContainersTests() =>
        _containers = new PoolContainers(Builder(), 8443, _host.Clock, _host.Kills, _host.Desktops, NullLogger.Instance);

    private Task<bool> Issue(string id, string secretHash, DateTimeOffset expires)
    {
        _issued.Add((id, secretHash, expires));
        return Task.FromResult(true);
    }

    [Fact]
    public async Task A_pool_container_is_made_paused_with_a_credential_of_its_own_and_pooled()
    {
        _host.Engine.ProxyAddress = "10.9.0.1";

        Assert.True(await _containers.Make(_host.Context, TestHost.Entry, Issue));

        var container = Assert.Single(_host.Engine.Containers);
        Assert.Equal("paused", container.State);
        var (id, _, expires) = Assert.Single(_issued);
        Assert.Equal(_host.Clock.GetUtcNow() + TestHost.Entry.Lifetime, expires);
        Assert.Contains(_host.Engine.Env[container.Id], e => e.StartsWith($"HTTP_PROXY=http://{id}:", StringComparison.Ordinal) && e.EndsWith("@10.9.0.1:8443", StringComparison.Ordinal));
        Assert.Equal(container.Id, Assert.Single(_host.Pool.Sandboxes).ContainerId);
        Assert.True(_host.Ledger.Knows(container.Id));
        Assert.Equal(0, _host.Ledger.Running);
    }

    [Fact]
    public async Task A_pool_container_carries_the_hosts_deployment_so_a_claim_keeps_it()
    {
        Assert.True(await _containers.Make(_host.Context with { Deployment = "d1" }, TestHost.Entry, Issue));

        Assert.Equal("d1", Assert.Single(_host.Engine.Containers).Deployment);
    }

    [Fact]
    public async Task Without_a_proxy_no_credential_is_issued()
    {
        Assert.True(await _containers.Make(_host.Context, TestHost.Entry, Issue));

        Assert.Empty(_issued);
        Assert.Single(_host.Pool.Sandboxes);
    }

    [Fact]
    public async Task A_container_that_cannot_be_paused_is_killed_and_not_pooled()
    {
        _host.Engine.FailNextPause = true;

        Assert.False(await _containers.Make(_host.Context, TestHost.Entry, Issue));

        Assert.Empty(_host.Engine.Containers);
        Assert.Single(_host.Engine.Killed);
        Assert.Empty(_host.Pool.Sandboxes);
        // No longer counted as being made: the next tick makes both again.
        Assert.Equal(2, _host.Pool.NextToWarm([TestHost.Entry], free: 5).Count);
    }

    [Fact]
    public async Task A_credential_id_that_is_taken_makes_no_container()
    {
        _host.Engine.ProxyAddress = "10.9.0.1";

        Assert.False(await _containers.Make(_host.Context, TestHost.Entry, (_, _, _) => Task.FromResult(false)));

        Assert.Equal(0, _host.Engine.Creates);
    }

    [Fact]
    public async Task A_container_made_for_an_endpoint_the_host_left_meanwhile_is_killed()
    {
        _host.Engine.ProxyAddress = "10.9.0.1";
        var context = _host.Context;

        Assert.True(await _containers.Make(context, TestHost.Entry, (id, hash, expires) =>
        {
            _host.Health.Moved();
            return Issue(id, hash, expires);
        }));

        Assert.Empty(_host.Engine.Containers);
        Assert.Empty(_host.Pool.Sandboxes);
    }

    [Fact]
    public async Task Fill_makes_what_the_pools_miss_and_stops_at_a_failure()
    {
        await _containers.Fill(_host.Context, () => true, Issue);
        Assert.Equal(TestHost.Entry.Size, _host.Pool.Sandboxes.Count);

        var missing = new TestHost();
        missing.Engine.ImageMissing = true;
        await _containers.Fill(missing.Context, () => true, Issue);
        Assert.Empty(missing.Pool.Sandboxes);

        var barred = new TestHost();
        await _containers.Fill(barred.Context, () => false, Issue);
        Assert.Equal(0, barred.Engine.Creates);
    }

    [Fact]
    public async Task Recycle_kills_what_idled_too_long_and_everything_when_the_host_may_not_warm()
    {
        await _containers.Fill(_host.Context, () => true, Issue);
        var first = _host.Pool.Sandboxes.Select(w => w.ContainerId).ToList();

        await _containers.Recycle(_host.Context, canWarm: true);
        Assert.Equal(first, _host.Pool.Sandboxes.Select(w => w.ContainerId));

        _host.Clock.Now += TestHost.Entry.IdleTtl;
        await _containers.Recycle(_host.Context, canWarm: true);
        Assert.Empty(_host.Pool.Sandboxes);
        Assert.Empty(_host.Engine.Containers);

        await _containers.Fill(_host.Context, () => true, Issue);
        await _containers.Recycle(_host.Context, canWarm: false);
        Assert.Empty(_host.Engine.Containers);
    }
}
