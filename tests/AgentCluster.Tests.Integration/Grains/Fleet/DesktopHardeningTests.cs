using System.Text.Json.Nodes;
using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Integration.Grains.Computer;
using AgentCluster.Tests.Integration.Infrastructure;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace AgentCluster.Tests.Integration.Grains.Fleet;

/// <summary>
/// A desktop sandbox has the same hardening as any sandbox plus only its own needs, and inside it
/// Chromium's own sandbox is on and nothing listens on the network.
/// </summary>
public sealed class DesktopHardeningTests(DesktopContainer desktop) : IClassFixture<DesktopContainer>, IDisposable
{
    private readonly DockerClient _docker = new DockerClientConfiguration(new Uri(desktop.Endpoint)).CreateClient();

    public void Dispose() => _docker.Dispose();

    [Fact]
    public async Task Docker_inspect_shows_the_hardening_and_the_desktop_additions()
    {
        var inspect = await _docker.Containers.InspectContainerAsync(desktop.ContainerId);
        var host = inspect.HostConfig;
        Assert.True(inspect.State.Running);
        Assert.True(host.ReadonlyRootfs);
        Assert.Equal("rw,noexec,nosuid,nodev,size=268435456,mode=0700,uid=1001,gid=1001", host.Tmpfs["/home/agent/.cache"]);
        Assert.Equal("rw,noexec,nosuid,nodev,size=536870912,mode=1777", host.Tmpfs["/tmp"]);
        Assert.Equal(["ALL"], host.CapDrop);
        Assert.Equal(["CHOWN", "SETGID", "SETUID"], host.CapAdd.Select(c => c.Replace("CAP_", "")).Order());
        Assert.Equal("1001:1001", inspect.Config.User);
        Assert.True(host.Init);
        Assert.False(host.Privileged);
        Assert.Empty(inspect.Mounts);
        Assert.Equal("agentcluster-sandbox", host.NetworkMode);
        Assert.Contains("no-new-privileges:true", host.SecurityOpt);
        var seccomp = Assert.Single(host.SecurityOpt, o => o.StartsWith("seccomp=", StringComparison.Ordinal));
        var expected = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "deploy", "seccomp-desktop.json")));
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(seccomp["seccomp=".Length..])), "the seccomp profile is deploy/seccomp-desktop.json");

        Assert.Equal(SandboxSpec.DesktopPidsLimit, host.PidsLimit);
        Assert.Equal(SandboxContainerSpec.DesktopShmSizeBytes, host.ShmSize);
        Assert.Equal("none", host.LogConfig.Type);
        Assert.True(inspect.Config.OpenStdin);
        Assert.False(inspect.Config.StdinOnce);
        Assert.False(inspect.Config.Tty);
    }

    [Fact]
    public async Task Chromiums_own_sandbox_is_on_and_the_server_runs_as_1001()
    {
        IList<(int Pid, string Uid, string Args)> processes = [];
        await Eventually.True(async () => (processes = await Processes()).Any(p => p.Args.Contains("--type=renderer")), "a Chromium renderer", TimeSpan.FromSeconds(60));

        var server = Assert.Single(processes, p => p.Args.StartsWith("/usr/lib/agentcluster/computer-server", StringComparison.Ordinal));
        Assert.Equal("1001", server.Uid);
        Assert.DoesNotContain(processes, p => p.Args.Contains("--no-sandbox"));
        Assert.All(processes, p => Assert.NotEqual("0", p.Uid));
        // A sandboxed renderer lives in a user namespace of its own (the zygote made it).
        var renderer = processes.First(p => p.Args.Contains("--type=renderer"));
        Assert.NotEqual(Namespace(server.Pid, "user"), Namespace(renderer.Pid, "user"));
        Assert.NotEqual(Namespace(server.Pid, "net"), Namespace(renderer.Pid, "net"));
    }

    [Fact]
    public async Task Nothing_in_the_desktop_listens_on_tcp_or_udp_but_the_browsers_forwarder_on_its_own_loopback()
    {
        var server = (await Processes()).Single(p => p.Args.StartsWith("/usr/lib/agentcluster/computer-server", StringComparison.Ordinal));
        foreach (var table in new[] { "tcp", "tcp6" })
        {
            // Column 4 is the state; 0A is LISTEN. 127.0.0.11 is Docker's embedded resolver: dockerd
            // answers there (firewalled into the namespace), no process of the sandbox. 127.0.0.1:3128
            // is the computer server's forwarder to the egress proxy, on the container's own loopback.
            var listening = File.ReadAllLines($"/proc/{server.Pid}/net/{table}").Skip(1)
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f[3] == "0A" && !f[1].StartsWith("0B00007F:", StringComparison.Ordinal)).Select(f => f[1]).ToList();
            Assert.Equal(table == "tcp" ? ["0100007F:0C38"] : [], listening);
        }
        foreach (var table in new[] { "udp", "udp6" })
            Assert.DoesNotContain(File.ReadAllLines($"/proc/{server.Pid}/net/{table}").Skip(1), l => !l.Contains(" 0B00007F:", StringComparison.Ordinal));
    }

    private async Task<IList<(int Pid, string Uid, string Args)>> Processes()
    {
        var top = await _docker.Containers.ListProcessesAsync(desktop.ContainerId, new ContainerListProcessesParameters { PsArgs = "-eo pid,uid,args" });
        int Column(string name) => top.Titles.IndexOf(name);
        return [.. top.Processes.Select(p => (int.Parse(p[Column("PID")]), p[Column("UID")], p[Column("COMMAND")]))];
    }

    private static string Namespace(int pid, string kind) => new FileInfo($"/proc/{pid}/ns/{kind}").LinkTarget ?? "";
}
