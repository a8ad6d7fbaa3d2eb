using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using Microsoft.Extensions.Logging.Abstractions;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;
using static AgentCluster.Tests.Unit.Grains.Fleet.Hosts.HostTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

/// <summary>A pool of desktops: made with the browser up, paused, and claimed with the session's egress handed to its server.</summary>
public sealed class DesktopPoolTests
{
    private const string Ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";

    private static readonly WarmPoolEntry Desktops = new()
    {
        Image = "agentcluster/desktop:local", Size = 2, Desktop = true, PidsLimit = SandboxSpec.DesktopPidsLimit,
    };

    private readonly TestHost _host = new();
    private readonly PoolContainers _containers;
    private readonly PoolClaim _claim;
    private int _issued;

    public DesktopPoolTests()
    {
        _containers = new PoolContainers(Builder(), 8443, _host.Clock, _host.Kills, _host.Desktops, NullLogger.Instance);
        _claim = new PoolClaim(_host.Kills, _host.Desktops, 8443, NullLogger.Instance);
        _host.Engine.ProxyAddress = "10.9.0.1";
    }

    private Task<bool> Issue(string id, string secretHash, DateTimeOffset expires)
    {
        _issued++;
        return Task.FromResult(true);
    }

    private SandboxSpec Session(int n, bool egress = true)
    {
        var spec = SandboxSpec.CreateDesktop(HostTestData.Session(n), "acme", Desktops.Image, _host.Clock.GetUtcNow() + TimeSpan.FromMinutes(10));
        return egress ? spec with { Proxy = new ProxyCredential(spec.SessionId, "s3cret") } : spec;
    }

    [Fact]
    public async Task A_desktop_is_paused_only_after_its_browser_is_up_and_gets_no_credential_of_its_own()
    {
        string? stateWhenAsked = null;
        _host.Desktops.OnAsk = id => stateWhenAsked = _host.Engine.Containers.Single(c => c.Id == id).State;

        Assert.True(await _containers.Make(_host.Context, Desktops, Issue));

        var container = Assert.Single(_host.Engine.Containers);
        Assert.Equal(("running", "paused"), (stateWhenAsked, container.State));
        Assert.Equal([container.Id], _host.Desktops.Waited);
        Assert.Equal(0, _issued);
        Assert.DoesNotContain(_host.Engine.Env[container.Id], e => e.StartsWith("HTTP_PROXY=", StringComparison.Ordinal));
        // A session with egress takes it all the same: its server gets the session's credential at the claim.
        var taken = _host.Pool.Take(Session(1), _host.Health.Generation);
        Assert.Equal((container.Id, null), (taken?.Id, taken?.Credential));
    }

    [Fact]
    public async Task A_desktop_whose_browser_does_not_come_up_is_killed_and_not_pooled()
    {
        _host.Desktops.FailBrowser = true;

        Assert.False(await _containers.Make(_host.Context, Desktops, Issue));

        Assert.Empty(_host.Engine.Containers);
        Assert.Empty(_host.Pool.Sandboxes);
        Assert.Equal(2, _host.Pool.NextToWarm([Desktops], free: 5).Count);
    }

    [Fact]
    public async Task A_desktop_made_while_its_host_was_removed_is_killed()
    {
        _host.Desktops.OnAsk = _ => _host.State.Registered = false;

        Assert.True(await _containers.Make(_host.Context, Desktops, Issue));

        Assert.Empty(_host.Engine.Containers);
        Assert.Empty(_host.Pool.Sandboxes);
    }

    [Fact]
    public async Task A_claim_writes_the_sessions_own_credential_the_proxy_and_the_ca_on_the_pools_line_before_the_unpause()
    {
        Assert.True(await _containers.Make(_host.Context, Desktops, Issue));
        var spec = Session(1);
        var warm = _host.Pool.Take(spec, _host.Health.Generation)!;
        string? stateWhenAsked = null;
        _host.Desktops.OnAsk = id => stateWhenAsked = _host.Engine.Containers.Single(c => c.Id == id).State;

        var result = await _claim.Run(_host.Context, warm, spec, _ => throw new InvalidOperationException("a desktop has no pooled credential to bind"),
            () => { }, () => Task.FromResult<string?>(Ca));

        Assert.Equal((LaunchStatus.Started, true, null), (result?.Status, result?.Pooled, result?.ProxyCredentialHash));
        var (container, egress) = Assert.Single(_host.Desktops.Configured);
        // Written into the paused container's stdin on the attach its pool kept open, which the claim then closes.
        Assert.Equal((warm.Id, "paused", true), (container, stateWhenAsked, Assert.Single(_host.Desktops.Started).OnLine));
        Assert.True(_host.Desktops.LinesClosed[warm.Id]);
        Assert.Equal("running", _host.Engine.Containers.Single().State);
        Assert.Equal(("10.9.0.1", 8443, spec.Proxy, Ca), (egress.ProxyAddress, egress.ProxyPort, egress.Credential, egress.CaCertificatePem));
        Assert.DoesNotContain("s3cret", egress.ToString(), StringComparison.Ordinal);
        Assert.Equal(SandboxContainerSpec.ContainerName(spec.SessionId), _host.Engine.Containers.Single().Name);
    }

    [Fact]
    public async Task A_claim_whose_line_broke_while_its_desktop_idled_attaches_after_the_unpause()
    {
        Assert.True(await _containers.Make(_host.Context, Desktops, Issue));
        var spec = Session(1);
        var warm = _host.Pool.Take(spec, _host.Health.Generation)!;
        _host.Desktops.BreakLines = true;
        string? stateWhenAsked = null;
        _host.Desktops.OnAsk = id => stateWhenAsked = _host.Engine.Containers.Single(c => c.Id == id).State;

        var result = await _claim.Run(_host.Context, warm, spec, _ => Task.FromResult<string?>(null), () => { }, () => Task.FromResult<string?>(Ca));

        Assert.Equal((LaunchStatus.Started, true), (result?.Status, result?.Pooled));
        var started = Assert.Single(_host.Desktops.Started);
        Assert.Equal((warm.Id, false, "running"), (started.Container, started.OnLine, stateWhenAsked));
        Assert.Equal(spec.Proxy, started.Egress?.Credential);
        Assert.True(_host.Desktops.LinesClosed[warm.Id]);
    }

    [Fact]
    public async Task An_idle_desktops_line_closes_whenever_it_leaves_the_pool_other_than_by_a_claim()
    {
        foreach (var _ in Enumerable.Range(0, 3))
            Assert.True(await _containers.Make(_host.Context, Desktops, Issue));
        var ids = _host.Pool.Sandboxes.Select(s => s.ContainerId).ToList();
        Assert.All(ids, id => Assert.False(_host.Desktops.LinesClosed[id]));

        _host.Pool.Forget(ids[0]);
        _host.Pool.Prune(long.MaxValue, id => id != ids[1]);
        Assert.Equal([true, true, false], ids.Select(id => _host.Desktops.LinesClosed[id]));
        _host.Pool.CloseLines();
        Assert.True(_host.Desktops.LinesClosed[ids[2]]);
    }

    [Fact]
    public async Task A_claim_hands_the_start_url_with_the_egress_in_one_call_and_without_egress_alone()
    {
        Assert.True(await _containers.Make(_host.Context, Desktops, Issue));
        Assert.True(await _containers.Make(_host.Context, Desktops, Issue));
        var withEgress = Session(1) with { StartUrl = "https://shop.example/" };
        var without = Session(2, egress: false) with { StartUrl = "about:blank" };

        foreach (var spec in new[] { withEgress, without })
            Assert.True((await _claim.Run(_host.Context, _host.Pool.Take(spec, _host.Health.Generation)!, spec, _ => Task.FromResult<string?>(null),
                () => { }, () => Task.FromResult<string?>(Ca)))?.Pooled);

        Assert.Equal([("https://shop.example/", true), ("about:blank", false)],
            _host.Desktops.Started.Select(s => (s.FirstPage, s.Egress is not null)).ToArray());
    }

    [Fact]
    public async Task A_claimed_desktop_is_raised_to_the_boosts_cap_while_it_draws_its_first_page_and_a_plain_sandbox_is_not()
    {
        var boost = new StartBoost(TimeSpan.FromSeconds(5), 2 * SandboxSpec.NanoCpusPerCpu, _host.Clock, NullLogger.Instance);
        var claim = new PoolClaim(_host.Kills, _host.Desktops, 8443, NullLogger.Instance, boost);
        Assert.True(await _containers.Make(_host.Context, Desktops, Issue));
        Assert.True(await _containers.Make(_host.Context, TestHost.Entry, Issue));
        Assert.Empty(_host.Engine.CpuUpdates);
        var desktop = Session(1) with { StartUrl = "https://shop.example/" };
        var plain = _host.Spec(HostTestData.Session(2));
        var desktopWarm = _host.Pool.Take(desktop, _host.Health.Generation)!;

        Assert.True((await claim.Run(_host.Context, desktopWarm, desktop, _ => Task.FromResult<string?>(null), () => { }, () => Task.FromResult<string?>(Ca)))?.Pooled);
        Assert.True((await claim.Run(_host.Context, _host.Pool.Take(plain, _host.Health.Generation)!, plain, _ => Task.FromResult<string?>("hash"), () => { },
            () => Task.FromResult<string?>(Ca)))?.Pooled);

        Assert.Equal([(desktopWarm.Id, 2 * SandboxSpec.NanoCpusPerCpu)], _host.Engine.CpuUpdates);
    }

    [Fact]
    public async Task A_claim_whose_raise_fails_still_serves_the_session_at_its_own_cap()
    {
        var claim = new PoolClaim(_host.Kills, _host.Desktops, 8443, NullLogger.Instance,
            new StartBoost(TimeSpan.FromSeconds(5), 2 * SandboxSpec.NanoCpusPerCpu, _host.Clock, NullLogger.Instance));
        Assert.True(await _containers.Make(_host.Context, Desktops, Issue));
        var spec = Session(1);
        _host.Engine.FailCpuUpdates = true;

        var result = await claim.Run(_host.Context, _host.Pool.Take(spec, _host.Health.Generation)!, spec, _ => Task.FromResult<string?>(null), () => { },
            () => Task.FromResult<string?>(Ca));

        Assert.Equal((LaunchStatus.Started, true), (result?.Status, result?.Pooled));
        Assert.Equal("running", Assert.Single(_host.Engine.Containers).State);
        Assert.Empty(_host.Engine.CpuUpdates);
    }

    [Fact]
    public async Task A_claim_whose_desktop_cannot_be_configured_kills_it_and_the_launch_goes_cold()
    {
        Assert.True(await _containers.Make(_host.Context, Desktops, Issue));
        var spec = Session(1);
        var warm = _host.Pool.Take(spec, _host.Health.Generation)!;
        _host.Desktops.FailConfigure = true;

        Assert.Null(await _claim.Run(_host.Context, warm, spec, _ => Task.FromResult<string?>(null), () => { }, () => Task.FromResult<string?>(Ca)));

        Assert.Empty(_host.Engine.Containers);
        Assert.False(_host.Ledger.Knows(warm.Id));
        Assert.True(_host.Desktops.LinesClosed[warm.Id]);
    }

    [Fact]
    public async Task A_session_without_egress_is_not_configured()
    {
        Assert.True(await _containers.Make(_host.Context, Desktops, Issue));
        var spec = Session(1, egress: false);

        var result = await _claim.Run(_host.Context, _host.Pool.Take(spec, _host.Health.Generation)!, spec, _ => Task.FromResult<string?>(null),
            () => { }, () => throw new InvalidOperationException("no CA without egress"));

        Assert.True(result?.Pooled);
        Assert.Empty(_host.Desktops.Configured);
    }

    [Fact]
    public async Task Desktops_and_plain_sandboxes_never_take_each_others_pool_containers()
    {
        Assert.True(await _containers.Make(_host.Context, Desktops, Issue));
        Assert.True(await _containers.Make(_host.Context, TestHost.Entry, Issue));

        var plain = _host.Pool.Take(_host.Spec(HostTestData.Session(2)), _host.Health.Generation);
        var desktop = _host.Pool.Take(Session(1), _host.Health.Generation);

        Assert.Equal((false, true), (plain?.Entry.Desktop, desktop?.Entry.Desktop));
        Assert.Null(_host.Pool.Take(Session(3), _host.Health.Generation));
    }
}
