using AgentCluster.Grains.Fleet;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet;

public sealed class SandboxContainerSpecBoostTests
{
    private const long Cpu = SandboxSpec.NanoCpusPerCpu;

    private static SandboxContainerSpec Boosting(long boost) => new("agentcluster-sandbox", Seccomp, new SandboxLimits(), desktopBoostNanoCpus: boost);

    private static SandboxSpec Desktop(long cpus) =>
        SandboxSpec.CreateDesktop("ses_desk1", "acme", "agentcluster/desktop:local", Now + TimeSpan.FromMinutes(10)) with { NanoCpus = cpus };

    [Fact]
    public void A_desktop_starts_at_the_boosts_cap_and_its_label_keeps_its_own()
    {
        var built = Boosting(2 * Cpu).Build(Desktop(Cpu), Now);

        Assert.Equal(2 * Cpu, built.HostConfig.NanoCPUs);
        Assert.Equal("1000000000", built.Labels[SandboxLabels.Cpus]);
    }

    [Fact]
    public void A_desktop_that_asks_as_much_or_more_and_any_other_sandbox_are_not_boosted()
    {
        var more = Boosting(2 * Cpu).Build(Desktop(3 * Cpu), Now);
        var plain = Boosting(2 * Cpu).Build(Spec() with { NanoCpus = Cpu }, Now);
        var off = Boosting(0).Build(Desktop(Cpu), Now);

        Assert.Equal((3 * Cpu, Cpu, Cpu), (more.HostConfig.NanoCPUs, plain.HostConfig.NanoCPUs, off.HostConfig.NanoCPUs));
        Assert.All(new[] { more, plain, off }, p => Assert.False(p.Labels.ContainsKey(SandboxLabels.Cpus)));
    }

    [Fact]
    public void A_pooled_desktop_is_made_at_its_own_cap_its_start_is_off_every_sessions_path_and_its_label_keeps_the_cap_for_its_claims_boost()
    {
        var entry = new WarmPoolEntry { Image = "agentcluster/desktop:local", Size = 1, Desktop = true, NanoCpus = Cpu };
        var plain = new WarmPoolEntry { Image = "agentcluster/sandbox:local", Size = 1, NanoCpus = Cpu };

        var built = Boosting(2 * Cpu).BuildPooled(entry, "pool-1", "h1", Now);
        var off = Boosting(0).BuildPooled(entry, "pool-2", "h1", Now);
        var notDesktop = Boosting(2 * Cpu).BuildPooled(plain, "pool-3", "h1", Now);

        Assert.Equal((Cpu, Cpu, Cpu), (built.HostConfig.NanoCPUs, off.HostConfig.NanoCPUs, notDesktop.HostConfig.NanoCPUs));
        Assert.Equal("1000000000", built.Labels[SandboxLabels.Cpus]);
        Assert.False(off.Labels.ContainsKey(SandboxLabels.Cpus));
        Assert.False(notDesktop.Labels.ContainsKey(SandboxLabels.Cpus));
        Assert.Equal("h1", built.Labels[SandboxLabels.Pool]);
    }

    [Fact]
    public void The_boost_for_a_desktop_is_the_boosts_cap_only_above_its_own()
    {
        Assert.Equal(2 * Cpu, Boosting(2 * Cpu).DesktopBoost(Cpu));
        Assert.Null(Boosting(2 * Cpu).DesktopBoost(2 * Cpu));
        Assert.Null(Boosting(2 * Cpu).DesktopBoost(3 * Cpu));
        Assert.Null(Boosting(0).DesktopBoost(Cpu));
    }
}
