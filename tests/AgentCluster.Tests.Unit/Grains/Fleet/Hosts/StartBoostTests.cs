using System.Globalization;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using Microsoft.Extensions.Logging.Abstractions;
using static AgentCluster.Tests.Unit.Grains.Fleet.Hosts.HostTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

public sealed class StartBoostTests
{
    private const long Own = SandboxSpec.NanoCpusPerCpu / 2;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    private readonly TestHost _host = new();
    private readonly StartBoost _boost;

    public StartBoostTests() => _boost = new StartBoost(Window, _host.Clock, NullLogger.Instance);

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
}
