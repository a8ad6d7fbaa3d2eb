using AgentCluster.Grains.Fleet;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet;

public sealed class SandboxContainerSpecDesktopTests
{
    private static SandboxSpec DesktopSpec() =>
        SandboxSpec.CreateDesktop("ses_desk1", "acme", "agentcluster/desktop:local", Now + TimeSpan.FromMinutes(10));

    [Fact]
    public void A_desktop_gets_an_open_stdin_without_tty_and_no_log_driver()
    {
        var built = Builder().Build(DesktopSpec(), Now);
        Assert.True(built.OpenStdin);
        Assert.True(built.AttachStdin);
        Assert.False(built.StdinOnce);
        Assert.False(built.Tty);
        Assert.Equal("none", built.HostConfig.LogConfig.Type);
    }

    [Fact]
    public void A_desktop_gets_the_desktop_seccomp_profile_shm_and_a_browsers_pids_limit()
    {
        var host = Builder().Build(DesktopSpec(), Now).HostConfig;
        Assert.Equal(["no-new-privileges:true", "seccomp=" + SeccompProfile.Desktop().Json], host.SecurityOpt);
        Assert.Equal(SandboxContainerSpec.DesktopShmSizeBytes, host.ShmSize);
        Assert.Equal(SandboxSpec.DesktopPidsLimit, host.PidsLimit);
    }

    [Fact]
    public void The_rest_of_the_hardening_is_the_same_as_any_sandboxs()
    {
        var plain = Builder().Build(Spec() with { SessionId = "ses_desk1", Image = "agentcluster/desktop:local", PidsLimit = SandboxSpec.DesktopPidsLimit }, Now).HostConfig;
        var desktop = Builder().Build(DesktopSpec(), Now).HostConfig;
        Assert.Equal(plain.ReadonlyRootfs, desktop.ReadonlyRootfs);
        Assert.Equal(plain.Tmpfs, desktop.Tmpfs);
        Assert.Equal(plain.CapDrop, desktop.CapDrop);
        Assert.Equal(plain.CapAdd, desktop.CapAdd);
        Assert.Equal(plain.DNS, desktop.DNS);
        Assert.Equal((plain.Init, plain.Memory, plain.MemorySwap, plain.NetworkMode, plain.Privileged, plain.IpcMode),
            (desktop.Init, desktop.Memory, desktop.MemorySwap, desktop.NetworkMode, desktop.Privileged, desktop.IpcMode));
    }

    [Fact]
    public void A_plain_sandbox_keeps_its_defaults()
    {
        var built = Builder().Build(Spec(), Now);
        Assert.False(built.OpenStdin);
        Assert.Null(built.HostConfig.LogConfig);
        Assert.Equal(SandboxContainerSpec.ShmSizeBytes, built.HostConfig.ShmSize);
        Assert.Equal(SandboxSpec.DefaultPidsLimit, built.HostConfig.PidsLimit);
        Assert.Equal("seccomp=" + Seccomp.Json, built.HostConfig.SecurityOpt[1]);
    }

    [Fact]
    public void A_desktops_start_url_is_in_its_environment_and_nothing_else_of_it_changes()
    {
        const string url = "https://shop.example/cart?id=1";
        var plain = Builder().Build(DesktopSpec(), Now);
        var opening = Builder().Build(DesktopSpec() with { StartUrl = url }, Now);
        Assert.Equal([.. plain.Env, "AGENTCLUSTER_START_URL=" + url], opening.Env);
        Assert.DoesNotContain(plain.Env, e => e.StartsWith("AGENTCLUSTER_START_URL=", StringComparison.Ordinal));
        Assert.Equal(plain.Entrypoint, opening.Entrypoint);
        Assert.Equal(plain.Cmd, opening.Cmd);
    }

    [Theory]
    [InlineData("")]
    [InlineData("shop.example/cart")]
    [InlineData("https://shop.example/\n--remote-debugging-port=9222")]
    public void A_start_url_the_browser_could_read_as_anything_but_one_url_is_refused(string url)
    {
        var errors = Builder().Validate(DesktopSpec() with { StartUrl = url.Replace("\\n", "\n", StringComparison.Ordinal) }, Now);
        Assert.Contains(errors, e => e.StartsWith("start url must be an absolute URL", StringComparison.Ordinal));
    }

    [Fact]
    public void A_start_url_on_a_sandbox_without_a_browser_is_refused() =>
        Assert.Contains(Builder().Validate(Spec() with { StartUrl = "https://shop.example/" }, Now),
            e => e.StartsWith("start url must be an absolute URL", StringComparison.Ordinal));
}
