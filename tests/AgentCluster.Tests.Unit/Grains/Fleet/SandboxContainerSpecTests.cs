using AgentCluster.Grains.Fleet;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet;

public sealed class SandboxContainerSpecTests
{
    private static readonly Docker.DotNet.Models.CreateContainerParameters Built = Builder().Build(Spec(), Now);

    [Fact]
    public void The_root_filesystem_is_read_only() => Assert.True(Built.HostConfig.ReadonlyRootfs);

    [Fact]
    public void Tmp_and_cache_are_capped_tmpfs_with_their_modes()
    {
        Assert.Equal(2, Built.HostConfig.Tmpfs.Count);
        Assert.Equal("rw,noexec,nosuid,nodev,size=536870912,mode=1777", Built.HostConfig.Tmpfs["/tmp"]);
        Assert.Equal("rw,noexec,nosuid,nodev,size=268435456,mode=0700,uid=1001,gid=1001", Built.HostConfig.Tmpfs["/home/agent/.cache"]);
    }

    [Fact]
    public void Tmpfs_sizes_come_from_the_spec()
    {
        var built = Builder().Build(Spec() with { TmpSizeBytes = 64 * SandboxSpec.MiB, CacheSizeBytes = 32 * SandboxSpec.MiB }, Now);
        Assert.Contains("size=67108864,", built.HostConfig.Tmpfs["/tmp"]);
        Assert.Contains("size=33554432,", built.HostConfig.Tmpfs["/home/agent/.cache"]);
    }

    [Fact]
    public void No_new_privileges_and_the_strict_seccomp_profile_inline()
    {
        Assert.Equal(2, Built.HostConfig.SecurityOpt.Count);
        Assert.Equal("no-new-privileges:true", Built.HostConfig.SecurityOpt[0]);
        Assert.Equal("seccomp=" + Seccomp.Json, Built.HostConfig.SecurityOpt[1]);
    }

    [Fact]
    public void Every_capability_is_dropped_and_only_chown_setuid_setgid_come_back()
    {
        Assert.Equal(["ALL"], Built.HostConfig.CapDrop);
        Assert.Equal(["CHOWN", "SETUID", "SETGID"], Built.HostConfig.CapAdd);
    }

    [Fact]
    public void Runs_as_1001_with_an_init_and_the_limits()
    {
        Assert.Equal("1001:1001", Built.User);
        Assert.True(Built.HostConfig.Init);
        Assert.Equal(SandboxSpec.DefaultMemoryBytes, Built.HostConfig.Memory);
        Assert.Equal(SandboxSpec.DefaultMemoryBytes, Built.HostConfig.MemorySwap);
        Assert.Equal(SandboxSpec.DefaultPidsLimit, Built.HostConfig.PidsLimit);
    }

    [Fact]
    public void One_cpu_by_default_or_what_the_spec_asks()
    {
        Assert.Equal(SandboxSpec.NanoCpusPerCpu, Built.HostConfig.NanoCPUs);
        Assert.Equal(250_000_000, Builder().Build(Spec() with { NanoCpus = 250_000_000 }, Now).HostConfig.NanoCPUs);
    }

    [Fact]
    public void Open_files_and_processes_are_capped_soft_and_hard_and_shm_is_sized()
    {
        var ulimits = Built.HostConfig.Ulimits.ToDictionary(u => u.Name, u => (u.Soft, u.Hard));
        Assert.Equal(new Dictionary<string, (long, long)> { ["nofile"] = (8192, 8192), ["nproc"] = (65536, 65536) }, ulimits);
        Assert.Equal(256 * SandboxSpec.MiB, Built.HostConfig.ShmSize);
    }

    [Fact]
    public void Ipc_and_cgroup_namespaces_are_private() =>
        Assert.Equal(("private", "private"), (Built.HostConfig.IpcMode, Built.HostConfig.CgroupnsMode));

    [Fact]
    public void No_mounts_ports_privilege_or_network_but_the_internal_one()
    {
        var host = Built.HostConfig;
        Assert.Null(host.Binds);
        Assert.Null(host.Mounts);
        Assert.Null(host.VolumesFrom);
        Assert.Null(Built.Volumes);
        Assert.Null(host.Devices);
        Assert.Null(host.PortBindings);
        Assert.Null(Built.ExposedPorts);
        Assert.False(host.PublishAllPorts);
        Assert.False(host.Privileged);
        Assert.Equal("agentcluster-sandbox", host.NetworkMode);
        Assert.Null(Built.NetworkingConfig);
        Assert.Equal("private", host.IpcMode);
        Assert.Null(host.PidMode);
        Assert.Null(host.UsernsMode);
        Assert.Equal(Docker.DotNet.Models.RestartPolicyKind.No, host.RestartPolicy.Name);
        Assert.False(host.AutoRemove);
    }

    [Fact]
    public void Labels_carry_session_tenant_and_deadline_in_unix_ms()
    {
        Assert.Equal(new Dictionary<string, string>
        {
            ["agentcluster.session"] = "ses_abc123",
            ["agentcluster.tenant"] = "acme",
            ["agentcluster.deadline"] = (Now + TimeSpan.FromMinutes(10)).ToUnixTimeMilliseconds().ToString(),
        }, Built.Labels);
    }

    [Fact]
    public void Env_is_the_session_id_and_ttl_and_nothing_else()
    {
        Assert.Equal(["SESSION_ID=ses_abc123", "SESSION_TTL_SECONDS=600"], Built.Env);
        var partSecond = Builder().Build(Spec(TimeSpan.FromMilliseconds(90_500)), Now);
        Assert.Equal("SESSION_TTL_SECONDS=91", partSecond.Env[1]);
    }

    [Fact]
    public void The_container_is_named_after_its_session_and_runs_the_image()
    {
        Assert.Equal("agentcluster-ses_abc123", Built.Name);
        Assert.Equal("agentcluster/sandbox:local", Built.Image);
        Assert.Null(Built.Cmd);
        Assert.Null(Built.Entrypoint);
        Assert.False(Built.Tty);
        Assert.False(Built.OpenStdin);
    }

    [Fact]
    public void An_invalid_spec_builds_nothing_and_names_every_problem()
    {
        var e = Assert.Throws<InvalidSandboxSpecException>(
            () => Builder().Build(Spec() with { MemoryBytes = 1, PidsLimit = 0 }, Now));
        Assert.Equal(2, e.Errors.Count);
        Assert.Contains("memory 1 bytes", e.Message);
        Assert.Contains("pids limit 0", e.Message);
    }
}
