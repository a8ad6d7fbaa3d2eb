using System.Text.Json.Nodes;
using AgentCluster.Grains.Fleet;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet;

public sealed class DesktopSeccompProfileTests
{
    private static JsonObject Load(string file) => JsonNode.Parse(File.ReadAllText(RepoFile(file)))!.AsObject();

    private static JsonObject Rule(JsonObject profile, string name) =>
        Assert.Single(profile["syscalls"]!.AsArray(), r => r!["names"]!.AsArray().Any(n => n!.GetValue<string>() == name))!.AsObject();

    [Fact]
    public void It_is_the_strict_profile_plus_only_what_chromiums_sandbox_needs()
    {
        var strict = Load("deploy/seccomp-strict.json");
        var desktop = Load("deploy/seccomp-desktop.json");
        // Undo the three differences; what is left must be the strict profile to the byte.
        Assert.Equal(0x0E020000L, Rule(desktop, "clone")["args"]![0]!["value"]!.GetValue<long>());
        Assert.Equal(0x0E020080L, Rule(desktop, "unshare")["args"]![0]!["value"]!.GetValue<long>());
        var chroot = Rule(desktop, "chroot");
        Assert.Equal("SCMP_ACT_ALLOW", chroot["action"]!.GetValue<string>());
        Assert.Null(chroot["args"]);

        desktop.Remove("comment");
        strict.Remove("comment");
        var rules = desktop["syscalls"]!.AsArray();
        rules.Remove(rules.Single(r => r!["names"]![0]!.GetValue<string>() == "chroot"));
        foreach (var (name, mask) in new[] { ("clone", 0x7E020000L), ("unshare", 0x7E020080L) })
        {
            Rule(desktop, name)["args"]![0]!["value"] = mask;
            Rule(desktop, name).Remove("comment");
            Rule(strict, name).Remove("comment");
        }
        Assert.True(JsonNode.DeepEquals(strict, desktop), "the desktop profile differs from the strict one in more than clone, unshare and chroot");
    }

    [Fact]
    public void Mount_uts_ipc_cgroup_and_time_namespaces_stay_forbidden()
    {
        const long mountUtsIpcCgroup = 0x00020000 | 0x04000000 | 0x08000000 | 0x02000000;
        var desktop = Load("deploy/seccomp-desktop.json");
        Assert.Equal(mountUtsIpcCgroup, Rule(desktop, "clone")["args"]![0]!["value"]!.GetValue<long>() & mountUtsIpcCgroup);
        Assert.Equal(mountUtsIpcCgroup | 0x80, Rule(desktop, "unshare")["args"]![0]!["value"]!.GetValue<long>() & (mountUtsIpcCgroup | 0x80));
        Assert.DoesNotContain(desktop["syscalls"]!.AsArray(), r => r!["names"]!.AsArray().Any(n => n!.GetValue<string>() == "setns"));
    }

    [Fact]
    public void The_built_in_copy_is_the_deploy_file() =>
        Assert.Equal(SeccompProfile.Load(RepoFile("deploy/seccomp-desktop.json")).Json, SeccompProfile.Desktop().Json);
}
