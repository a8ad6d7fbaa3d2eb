using System.Globalization;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using Microsoft.Extensions.Logging.Abstractions;
using static AgentCluster.Tests.Unit.Grains.Fleet.Hosts.HostTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

public sealed class StartBoostTests
{
    private const long Own = SandboxSpec.NanoCpusPerCpu / 2;
    private const long Boost = 2 * SandboxSpec.NanoCpusPerCpu;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    private readonly TestHost _host = new();
    private readonly StartBoost _boost;

    public StartBoostTests() => _boost = new StartBoost(Window, Boost, _host.Clock, NullLogger.Instance);

    private SandboxContainer Desktop(TimeSpan age, string state = "running", bool boosted = true)
    {
        var labels = new Dictionary<string, string>
        {
            [SandboxLabels.Session] = Session(1),
            [SandboxLabels.Tenant] = "t",
            [SandboxLabels.Deadline] = SandboxContainer.DeadlineLabel(_host.Clock.GetUtcNow() + TimeSpan.FromMinutes(10)),
        };
        if (boosted)
            labels[SandboxLabels.Cpus] = Own.ToString(CultureInfo.InvariantCulture);
        var id = _host.Engine.Add(labels, _host.Clock.GetUtcNow() - age, state, "");
        return _host.Engine.Containers.Single(c => c.Id == id);
    }

    private Task End(params SandboxContainer[] listed) => _boost.End(_host.Context, listed);

    [Fact]
    public async Task A_cold_desktop_gets_its_own_cap_back_once_its_window_from_creation_is_over_and_only_once()
    {
        var young = Desktop(TimeSpan.FromSeconds(2));
        var old = Desktop(TimeSpan.FromSeconds(6));
        var unboosted = Desktop(TimeSpan.FromSeconds(6), boosted: false);

        await End(young, old, unboosted);
        Assert.Equal([(old.Id, Own)], _host.Engine.CpuUpdates);

        _host.Clock.Now += TimeSpan.FromSeconds(4);
        await End(young, old, unboosted);
        Assert.Equal([(old.Id, Own), (young.Id, Own)], _host.Engine.CpuUpdates);
    }

    [Fact]
    public async Task A_paused_or_stopped_container_is_left_as_it_is()
    {
        var paused = Desktop(TimeSpan.FromSeconds(6), state: "paused");
        var exited = Desktop(TimeSpan.FromSeconds(6), state: "exited");

        await End(paused, exited);

        Assert.Empty(_host.Engine.CpuUpdates);
    }

    [Fact]
    public async Task A_new_activation_sets_the_cap_again_harmlessly_and_a_container_gone_is_forgotten()
    {
        var old = Desktop(TimeSpan.FromSeconds(6));
        await End(old);
        await End();
        await End(old);

        Assert.Equal([(old.Id, Own), (old.Id, Own)], _host.Engine.CpuUpdates);
    }

    [Fact]
    public async Task An_update_that_fails_is_tried_again_at_the_next_reconcile()
    {
        var old = Desktop(TimeSpan.FromSeconds(6));
        _host.Engine.FailCpuUpdates = true;
        await End(old);
        Assert.Empty(_host.Engine.CpuUpdates);

        _host.Engine.FailCpuUpdates = false;
        await End(old);
        Assert.Equal([(old.Id, Own)], _host.Engine.CpuUpdates);
    }

    [Fact]
    public async Task A_claimed_pooled_desktop_is_raised_at_its_claim_and_keeps_the_boost_for_a_window_from_the_claim_not_from_its_creation()
    {
        var pooled = Desktop(TimeSpan.FromMinutes(10));

        await _boost.Raise(_host.Context, pooled.Id, Own);
        Assert.Equal([(pooled.Id, Boost)], _host.Engine.CpuUpdates);

        _host.Clock.Now += TimeSpan.FromSeconds(4);
        await End(pooled);
        Assert.Equal([(pooled.Id, Boost)], _host.Engine.CpuUpdates);

        _host.Clock.Now += TimeSpan.FromSeconds(1);
        await End(pooled);
        await End(pooled);
        Assert.Equal([(pooled.Id, Boost), (pooled.Id, Own)], _host.Engine.CpuUpdates);
    }

    [Fact]
    public async Task A_pool_desktop_whose_cap_was_set_while_it_warmed_is_raised_again_at_its_claim_and_given_back_after()
    {
        var pooled = Desktop(TimeSpan.FromSeconds(6));
        await End(pooled);

        await _boost.Raise(_host.Context, pooled.Id, Own);
        await End(pooled);
        _host.Clock.Now += Window;
        await End(pooled);

        Assert.Equal([(pooled.Id, Own), (pooled.Id, Boost), (pooled.Id, Own)], _host.Engine.CpuUpdates);
    }

    [Fact]
    public async Task No_raise_when_the_boost_is_off_or_not_above_the_own_cap_and_a_failed_raise_does_not_throw()
    {
        var pooled = Desktop(TimeSpan.FromMinutes(10));
        await new StartBoost(Window, 0, _host.Clock, NullLogger.Instance).Raise(_host.Context, pooled.Id, Own);
        await _boost.Raise(_host.Context, pooled.Id, Boost);
        Assert.Empty(_host.Engine.CpuUpdates);

        _host.Engine.FailCpuUpdates = true;
        await _boost.Raise(_host.Context, pooled.Id, Own);
        Assert.Empty(_host.Engine.CpuUpdates);
    }
}
