using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Integration.Infrastructure;
using Docker.DotNet.Models;

namespace AgentCluster.Tests.Integration.Grains.Fleet;

/// <summary>
/// A desktop's start-up CPU boost on a real engine: the kernel's quota for the container, read from
/// inside it (its own cgroup), is the boost's at the start and the session's own once the window
/// and a reconcile are over. A sandbox that is no desktop is never boosted.
/// </summary>
public sealed class StartBoostTests : IAsyncLifetime
{
    private const long Own = SandboxSpec.NanoCpusPerCpu / 2;

    private readonly FleetSilo _fleet = new(new Dictionary<string, string?>
    {
        // Long enough that a loaded CI machine's two launches and reads fit inside it (2 s did not:
        // the boost had ended before the first read), short enough to see it end.
        ["AgentCluster:Fleet:DesktopStartBoost:For"] = "00:00:10",
    });

    public Task InitializeAsync() => _fleet.InitializeAsync();

    public Task DisposeAsync() => _fleet.DisposeAsync();

    [Fact]
    public async Task A_desktop_runs_at_two_cpus_while_it_starts_then_at_its_own_cap_and_a_plain_sandbox_never_is_boosted()
    {
        var host = _fleet.Grains.GetGrain<IDockerHostGrain>(_fleet.HostName(0));
        var desktop = await host.Launch(_fleet.Spec(TimeSpan.FromMinutes(5)) with { Desktop = true, NanoCpus = Own, PidsLimit = SandboxSpec.DesktopPidsLimit });
        Assert.True(desktop.Status == LaunchStatus.Started, $"launch: {desktop}");
        // The kernel's quota per 100 ms period.
        Assert.Equal("200000 100000", await CpuMax(desktop.ContainerId!));
        var plain = await host.Launch(_fleet.Spec(TimeSpan.FromMinutes(5)) with { NanoCpus = Own });
        Assert.True(plain.Status == LaunchStatus.Started, $"launch: {plain}");
        Assert.Equal("50000 100000", await CpuMax(plain.ContainerId!));
        var inspect = await _fleet.Docker[0].Containers.InspectContainerAsync(desktop.ContainerId);
        Assert.Equal("500000000", inspect.Config.Labels[SandboxLabels.Cpus]);

        await Eventually.True(async () => await CpuMax(desktop.ContainerId!) == "50000 100000", "the desktop back at its own cap", TimeSpan.FromSeconds(30));
        Assert.Equal(Own, (await _fleet.Docker[0].Containers.InspectContainerAsync(desktop.ContainerId)).HostConfig.NanoCPUs);
        Assert.Equal("50000 100000", await CpuMax(plain.ContainerId!));
    }

    private async Task<string> CpuMax(string container)
    {
        // cgroup v2, else v1's two files in the same order.
        var (code, output) = await DockerHosts.Docker(_fleet.Endpoints[0], "exec", container, "sh", "-c",
            "cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo \"$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)\"");
        Assert.True(code == 0, $"docker exec cat cpu.max: {output}");
        return output;
    }
}
