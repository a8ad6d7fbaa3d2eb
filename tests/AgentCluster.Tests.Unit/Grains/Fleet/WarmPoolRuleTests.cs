using System.Text.Json;
using AgentCluster.Grains.Fleet;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet;

/// <summary>Warm-pool containers: built like a session's, and judged by the reconcile by what they are.</summary>
public sealed class WarmPoolRuleTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
    private static readonly WarmPoolEntry Entry = new() { Image = "agentcluster/sandbox:local", Size = 2 };

    private static SandboxContainer Pooled(string name, TimeSpan age, DateTimeOffset? deadline = null, string state = "paused") => new(
        "c1",
        new Dictionary<string, string>
        {
            [SandboxLabels.Session] = "pool-1",
            [SandboxLabels.Pool] = "h1",
            [SandboxLabels.Deadline] = (deadline ?? Now.AddHours(1)).ToUnixTimeMilliseconds().ToString(),
        },
        state, Now - age, name);

    [Fact]
    public void A_pool_container_is_hardened_exactly_like_a_session_container()
    {
        var pooled = Builder().BuildPooled(Entry, "pool-1", "h1", Now);
        var session = Builder().Build(Spec(), Now);
        Assert.Equal(JsonSerializer.Serialize(session.HostConfig), JsonSerializer.Serialize(pooled.HostConfig));
        Assert.Equal((session.User, session.Image), (pooled.User, pooled.Image));
        Assert.Equal("agentcluster-pool-1", pooled.Name);
        var half = Builder().BuildPooled(new WarmPoolEntry { Image = Entry.Image, NanoCpus = 500_000_000 }, "pool-2", "h1", Now);
        Assert.Equal(500_000_000, half.HostConfig.NanoCPUs);
    }

    [Fact]
    public void A_pool_container_names_its_host_and_the_pool_deadline_but_no_tenant_and_no_session_environment()
    {
        var pooled = Builder().BuildPooled(Entry, "pool-1", "h1", Now);
        Assert.Equal(new Dictionary<string, string>
        {
            [SandboxLabels.Session] = "pool-1",
            [SandboxLabels.Pool] = "h1",
            [SandboxLabels.Deadline] = (Now + Entry.IdleTtl + Entry.MaxSessionTtl).ToUnixTimeMilliseconds().ToString(),
        }, pooled.Labels);
        Assert.Empty(pooled.Env);
    }

    [Fact]
    public void A_pooled_desktop_and_only_a_pooled_desktop_waits_for_its_claims_first_page()
    {
        var desktop = new WarmPoolEntry { Image = "agentcluster/desktop:local", Size = 1, Desktop = true };
        const string waits = $"{AgentCluster.ComputerProtocol.ComputerRequest.WaitForClaimEnvironmentVariable}=1";

        Assert.Equal([waits], Builder().BuildPooled(desktop, "pool-1", "h1", Now).Env);
        var cold = Builder().Build(SandboxSpec.CreateDesktop("ses_1", "t", "agentcluster/desktop:local", Now.AddMinutes(5)), Now);
        Assert.DoesNotContain(cold.Env, e => e.StartsWith(AgentCluster.ComputerProtocol.ComputerRequest.WaitForClaimEnvironmentVariable, StringComparison.Ordinal));
    }

    [Fact]
    public void An_idle_pool_container_belongs_to_no_session_and_a_renamed_one_to_its_session()
    {
        var idle = Pooled("agentcluster-pool-1", TimeSpan.FromMinutes(1));
        Assert.True(idle.IsIdlePool);
        Assert.Null(idle.SessionId);
        var bound = Pooled("agentcluster-ses_9", TimeSpan.FromMinutes(1));
        Assert.False(bound.IsIdlePool);
        Assert.Equal("ses_9", bound.SessionId);
        Assert.Equal("pool-1", bound.LabelledSession);
    }

    [Fact]
    public void The_reconcile_asks_the_pool_about_idle_ones_and_the_session_about_claimed_ones()
    {
        Assert.Equal(ReconcileVerdict.AskPool, ReconcileRule.Judge(Pooled("agentcluster-pool-1", TimeSpan.FromMinutes(1)), Now, Grace));
        Assert.Equal(ReconcileVerdict.AskClaims, ReconcileRule.Judge(Pooled("agentcluster-ses_9", TimeSpan.FromMinutes(1), state: "running"), Now, Grace));
        Assert.Equal(ReconcileVerdict.Keep, ReconcileRule.Judge(Pooled("agentcluster-pool-1", TimeSpan.FromSeconds(1)), Now, Grace));
    }

    [Fact]
    public void A_pool_container_past_its_deadline_is_killed_idle_or_claimed()
    {
        Assert.Equal(ReconcileVerdict.KillExpired, ReconcileRule.Judge(Pooled("agentcluster-pool-1", TimeSpan.Zero, Now), Now, Grace));
        Assert.Equal(ReconcileVerdict.KillExpired, ReconcileRule.Judge(Pooled("agentcluster-ses_9", TimeSpan.Zero, Now), Now, Grace));
    }

    [Fact]
    public void Only_a_spec_with_the_pool_image_and_limits_fits()
    {
        Assert.True(Entry.Fits(Spec()));
        Assert.False(Entry.Fits(Spec() with { Image = "agentcluster/sandbox:other" }));
        Assert.False(Entry.Fits(Spec() with { MemoryBytes = 512 * SandboxSpec.MiB }));
        Assert.False(Entry.Fits(Spec() with { PidsLimit = 64 }));
        Assert.False(Entry.Fits(Spec() with { NanoCpus = 2 * SandboxSpec.NanoCpusPerCpu }));
        Assert.True(new WarmPoolEntry { Image = Entry.Image, NanoCpus = 500_000_000 }.Fits(Spec() with { NanoCpus = 500_000_000 }));
        Assert.False(Entry.Fits(Spec() with { TmpSizeBytes = 64 * SandboxSpec.MiB }));
        Assert.False(Entry.Fits(Spec() with { Desktop = true }));
    }

    [Fact]
    public void A_pool_of_a_desktop_image_makes_desktops_with_a_browsers_pids_and_serves_only_desktop_sessions()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentCluster:Fleet:WarmPool:Pools:0:Image"] = "agentcluster/desktop:local",
            ["AgentCluster:Fleet:WarmPool:Pools:0:Size"] = "2",
            ["AgentCluster:Fleet:WarmPool:Pools:1:Image"] = "agentcluster/sandbox:local",
            ["AgentCluster:Fleet:WarmPool:Pools:1:Size"] = "2",
            // Not the operator's to say: the fleet's DesktopImages decide.
            ["AgentCluster:Fleet:WarmPool:Pools:1:Desktop"] = "true",
        }).Build();
        using var services = new ServiceCollection().AddAgentClusterFleet(configuration).BuildServiceProvider();
        var pools = services.GetRequiredService<IOptions<FleetOptions>>().Value.WarmPool.Pools;

        Assert.Equal([(true, SandboxSpec.DesktopPidsLimit), (false, SandboxSpec.DefaultPidsLimit)], pools.Select(p => (p.Desktop, p.PidsLimit)));
        var desktop = SandboxSpec.CreateDesktop("ses_1", "acme", "agentcluster/desktop:local", Now.AddMinutes(5));
        Assert.True(pools[0].Fits(desktop));
        Assert.False(pools[0].Fits(desktop with { Desktop = false, PidsLimit = SandboxSpec.DesktopPidsLimit }));
        Assert.False(pools[0].Fits(desktop with { PidsLimit = 2048 }));
        var pooled = Builder().BuildPooled(pools[0], "pool-1", "h1", Now);
        var session = Builder().Build(desktop, Now);
        Assert.Equal(JsonSerializer.Serialize(session.HostConfig), JsonSerializer.Serialize(pooled.HostConfig));
        Assert.Equal((true, false, SandboxContainerSpec.DesktopShmSizeBytes), (pooled.OpenStdin, pooled.Tty, pooled.HostConfig.ShmSize));
        // No session's environment: only the word that its browser waits for a claim.
        Assert.Equal([$"{AgentCluster.ComputerProtocol.ComputerRequest.WaitForClaimEnvironmentVariable}=1"], pooled.Env);
    }

    [Theory]
    [InlineData("agentcluster/desktop:local", true)]
    [InlineData("agentcluster/desktop:2026-11", true)]
    [InlineData("agentcluster/sandbox:local", false)]
    [InlineData("evil/agentcluster/desktop:local", false)]
    public void Desktop_images_are_the_fleets_patterns(string image, bool desktop) =>
        Assert.Equal(desktop, new FleetOptions().IsDesktop(image));
}
