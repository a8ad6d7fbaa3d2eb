using System.Text.Json.Nodes;
using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Integration.Infrastructure;
using Docker.DotNet.Models;

namespace AgentCluster.Tests.Integration.Grains.Fleet;

/// <summary>The container invariants of DESIGN.md, read back from `docker inspect` and from inside.</summary>
[Collection(FleetCollection.Name)]
public sealed class HardeningTests(FleetSilo fleet) : IAsyncLifetime
{
    private readonly SandboxSpec _spec = fleet.Spec(TimeSpan.FromMinutes(10)) with { MemoryBytes = 256 * SandboxSpec.MiB, PidsLimit = 128, NanoCpus = 500_000_000 };
    private LaunchResult _launch = null!;
    private ContainerInspectResponse _inspect = null!;

    public async Task InitializeAsync()
    {
        _launch = await fleet.Grains.GetGrain<IDockerHostGrain>(fleet.HostName(0)).Launch(_spec);
        Assert.True(_launch.Status == LaunchStatus.Started, $"launch: {_launch}");
        _inspect = await fleet.Docker[0].Containers.InspectContainerAsync(_launch.ContainerId);
    }

    public async Task DisposeAsync() => await fleet.Grains.GetGrain<IDockerHostGrain>(fleet.HostName(0)).Kill(_launch.ContainerId!);

    [Fact]
    public async Task Docker_inspect_shows_every_hardening_setting()
    {
        var host = _inspect.HostConfig;
        Assert.True(_inspect.State.Running);
        Assert.True(host.ReadonlyRootfs);
        Assert.Equal(2, host.Tmpfs.Count);
        Assert.Equal("rw,noexec,nosuid,nodev,size=536870912,mode=1777", host.Tmpfs["/tmp"]);
        Assert.Equal("rw,noexec,nosuid,nodev,size=268435456,mode=0700,uid=1001,gid=1001", host.Tmpfs["/home/agent/.cache"]);
        Assert.Contains("no-new-privileges:true", host.SecurityOpt);
        var seccomp = Assert.Single(host.SecurityOpt, o => o.StartsWith("seccomp=", StringComparison.Ordinal));
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "seccomp-strict.json")));
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(seccomp["seccomp=".Length..])), "the seccomp profile is deploy/seccomp-strict.json");
        Assert.Equal(2, host.SecurityOpt.Count);
        Assert.Equal(["ALL"], host.CapDrop);
        Assert.Equal(["CHOWN", "SETGID", "SETUID"], host.CapAdd.Select(c => c.Replace("CAP_", "")).Order());
        Assert.Equal("1001:1001", _inspect.Config.User);
        Assert.True(host.Init);
        Assert.Equal(256 * SandboxSpec.MiB, host.Memory);
        Assert.Equal(256 * SandboxSpec.MiB, host.MemorySwap);
        Assert.Equal(128, host.PidsLimit);
        Assert.False(host.Privileged);
        Assert.Equal(RestartPolicyKind.No, host.RestartPolicy.Name);
    }

    [Fact]
    public void Docker_inspect_shows_the_cpu_quota_ulimits_shm_size_and_private_ipc_and_cgroup_namespaces()
    {
        var host = _inspect.HostConfig;
        Assert.Equal(500_000_000, host.NanoCPUs);
        var ulimits = host.Ulimits.ToDictionary(u => u.Name, u => (u.Soft, u.Hard));
        Assert.Equal(2, ulimits.Count);
        Assert.Equal((8192, 8192), ulimits["nofile"]);
        Assert.Equal((65536, 65536), ulimits["nproc"]);
        Assert.Equal(256 * SandboxSpec.MiB, host.ShmSize);
        Assert.Equal("private", host.IpcMode);
        Assert.Equal("private", host.CgroupnsMode);
    }

    [Fact]
    public async Task Inside_the_cpu_quota_ulimits_and_shm_hold_and_ipc_and_cgroup_namespaces_are_its_own()
    {
        var (code, output) = await DockerCli.Exec(fleet.Endpoints[0], _launch.ContainerId!, """
            echo "quota $(cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo "$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)")"
            echo "nofile $(ulimit -Sn) $(ulimit -Hn)"
            echo "nproc $(ulimit -Su) $(ulimit -Hu)"
            grep ' /dev/shm ' /proc/mounts
            echo "ns $(ls -l /proc/self/ns/ipc | sed 's/.*-> //') $(ls -l /proc/self/ns/cgroup | sed 's/.*-> //')"
            echo "cgroups $(cut -d: -f3 /proc/self/cgroup | sort -u | tr '\n' ' ')"
            """);
        Assert.True(code == 0, output);
        Assert.Contains("quota 50000 100000", output);
        Assert.Contains("nofile 8192 8192", output);
        Assert.Contains("nproc 65536 65536", output);
        Assert.Matches(@"shm /dev/shm tmpfs rw,nosuid,nodev,noexec,[^\n]*size=262144k", output);
        // Namespaces of its own: not the ones of the host this test runs on (and so of its engine).
        var lines = output.Split('\n').Select(l => l.Trim()).ToList();
        var ns = lines.Single(l => l.StartsWith("ns ", StringComparison.Ordinal)).Split(' ');
        Assert.NotEqual(new FileInfo("/proc/self/ns/ipc").LinkTarget, ns[1]);
        Assert.NotEqual(new FileInfo("/proc/self/ns/cgroup").LinkTarget, ns[2]);
        Assert.StartsWith("ipc:[", ns[1]);
        Assert.StartsWith("cgroup:[", ns[2]);
        // In a cgroup namespace of its own, every hierarchy's path is its root: nothing of the host's layout shows.
        Assert.Equal("cgroups /", lines.Single(l => l.StartsWith("cgroups ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Docker_inspect_shows_no_mounts_ports_or_network_but_the_internal_one()
    {
        var host = _inspect.HostConfig;
        Assert.Empty(_inspect.Mounts);
        Assert.True(host.Binds is null or { Count: 0 });
        Assert.True(host.Mounts is null or { Count: 0 });
        Assert.True(host.VolumesFrom is null or { Count: 0 });
        Assert.True(host.Devices is null or { Count: 0 });
        Assert.True(_inspect.Config.Volumes is null or { Count: 0 });
        Assert.True(host.PortBindings is null or { Count: 0 });
        Assert.False(host.PublishAllPorts);
        Assert.True(_inspect.NetworkSettings.Ports is null or { Count: 0 });
        Assert.Equal("agentcluster-sandbox", host.NetworkMode);
        Assert.NotEqual("host", host.NetworkMode);
        Assert.Equal(["agentcluster-sandbox"], _inspect.NetworkSettings.Networks.Keys);
        Assert.Equal(_launch.IpAddress, _inspect.NetworkSettings.Networks["agentcluster-sandbox"].IPAddress);
    }

    [Fact]
    public async Task The_network_is_internal_and_keeps_sandboxes_apart()
    {
        var network = await fleet.Docker[0].Networks.InspectNetworkAsync("agentcluster-sandbox");
        Assert.True(network.Internal);
        Assert.Equal("false", network.Options["com.docker.network.bridge.enable_icc"]);
    }

    [Fact]
    public void Labels_carry_session_tenant_and_deadline_and_env_only_the_session()
    {
        var labels = _inspect.Config.Labels;
        Assert.Equal(_spec.SessionId, labels[SandboxLabels.Session]);
        Assert.Equal(_spec.Tenant, labels[SandboxLabels.Tenant]);
        Assert.Equal(_spec.Deadline.ToUnixTimeMilliseconds().ToString(), labels[SandboxLabels.Deadline]);

        // The image brings PATH and HOME; everything the fleet adds is these two.
        var added = _inspect.Config.Env.Where(e => !e.StartsWith("PATH=", StringComparison.Ordinal) && !e.StartsWith("HOME=", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, added.Count);
        Assert.Equal($"SESSION_ID={_spec.SessionId}", added[0]);
        var ttl = int.Parse(Assert.Single(added, e => e.StartsWith("SESSION_TTL_SECONDS=", StringComparison.Ordinal))["SESSION_TTL_SECONDS=".Length..]);
        Assert.InRange(ttl, 590, 600);
    }

    [Fact]
    public async Task Inside_it_is_uid_1001_without_capabilities_or_new_privileges_under_seccomp()
    {
        var (code, output) = await DockerCli.Exec(fleet.Endpoints[0], _launch.ContainerId!,
            "id -u; id -g; grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status");
        Assert.True(code == 0, output);
        var lines = output.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Equal("1001", lines[0]);
        Assert.Equal("1001", lines[1]);
        Assert.Contains("CapEff:\t0000000000000000", lines);
        Assert.Contains("CapBnd:\t00000000000000c1", lines); // CHOWN (0), SETGID (6), SETUID (7)
        Assert.Contains("NoNewPrivs:\t1", lines);
        Assert.Contains("Seccomp:\t2", lines);
    }

    [Fact]
    public async Task Inside_only_the_tmpfs_are_writable_and_namespaces_are_refused()
    {
        var (code, output) = await DockerCli.Exec(fleet.Endpoints[0], _launch.ContainerId!, """
            touch /root-write 2>/dev/null && echo root=writable || echo root=readonly
            touch /tmp/x && echo tmp=writable
            touch /home/agent/.cache/x && echo cache=writable
            test -e /var/run/docker.sock && echo socket=present || echo socket=absent
            unshare -U true 2>/dev/null && echo userns=allowed || echo userns=refused
            grep -E ' /tmp | /home/agent/.cache ' /proc/mounts
            stat -c 'mode %n %a %u:%g' /tmp /home/agent/.cache
            """);
        Assert.True(code == 0, output);
        Assert.Contains("root=readonly", output);
        Assert.Contains("tmp=writable", output);
        Assert.Contains("cache=writable", output);
        Assert.Contains("socket=absent", output);
        Assert.Contains("userns=refused", output);
        Assert.Matches(@"tmpfs /tmp tmpfs rw,nosuid,nodev,noexec,[^\n]*size=524288k", output);
        Assert.Matches(@"tmpfs /home/agent/.cache tmpfs rw,nosuid,nodev,noexec,[^\n]*size=262144k,mode=700,uid=1001,gid=1001", output);
        Assert.Contains("mode /tmp 1777 0:0", output);
        // Docker copies the image's directory into a --tmpfs mount (tmpcopyup), mode bits included,
        // so the effective mode is the image's; the mount option above is mode=700 all the same.
        Assert.Matches(@"mode /home/agent/.cache 7[0-7][015] 1001:1001", output);
    }
}
