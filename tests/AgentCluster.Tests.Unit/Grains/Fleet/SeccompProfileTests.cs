using System.Text.Json.Nodes;
using AgentCluster.Grains.Fleet;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet;

public sealed class SeccompProfileTests
{
    private static readonly JsonNode Profile = JsonNode.Parse(File.ReadAllText(RepoFile("deploy/seccomp-strict.json")))!;

    private static IEnumerable<JsonObject> Rules => Profile["syscalls"]!.AsArray().Select(r => r!.AsObject());

    /// <summary>Syscalls allowed whatever their arguments.</summary>
    private static HashSet<string> Unconditional => [.. Rules
        .Where(r => r["action"]!.GetValue<string>() == "SCMP_ACT_ALLOW" && r["args"] is null)
        .SelectMany(r => r["names"]!.AsArray().Select(n => n!.GetValue<string>()))];

    [Fact]
    public void It_denies_by_default_with_eperm()
    {
        Assert.Equal("SCMP_ACT_ERRNO", Profile["defaultAction"]!.GetValue<string>());
        Assert.Equal(1, Profile["defaultErrnoRet"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("mount")] [InlineData("umount2")] [InlineData("pivot_root")] [InlineData("chroot")]
    [InlineData("fsopen")] [InlineData("fsmount")] [InlineData("move_mount")] [InlineData("open_tree")]
    [InlineData("ptrace")] [InlineData("process_vm_readv")] [InlineData("process_vm_writev")] [InlineData("kcmp")]
    [InlineData("kexec_load")] [InlineData("kexec_file_load")] [InlineData("reboot")]
    [InlineData("bpf")] [InlineData("perf_event_open")] [InlineData("userfaultfd")]
    [InlineData("keyctl")] [InlineData("add_key")] [InlineData("request_key")]
    [InlineData("setns")] [InlineData("unshare")] [InlineData("clone")] [InlineData("clone3")]
    [InlineData("init_module")] [InlineData("finit_module")] [InlineData("delete_module")]
    [InlineData("open_by_handle_at")] [InlineData("name_to_handle_at")]
    [InlineData("io_uring_setup")] [InlineData("io_uring_enter")]
    [InlineData("swapon")] [InlineData("swapoff")] [InlineData("acct")] [InlineData("syslog")]
    [InlineData("settimeofday")] [InlineData("clock_settime")] [InlineData("adjtimex")]
    [InlineData("iopl")] [InlineData("ioperm")] [InlineData("modify_ldt")] [InlineData("quotactl")]
    [InlineData("lookup_dcookie")] [InlineData("fanotify_init")] [InlineData("sethostname")]
    public void A_dangerous_syscall_is_never_allowed_unconditionally(string syscall) =>
        Assert.DoesNotContain(syscall, Unconditional);

    [Theory]
    [InlineData("futex")] [InlineData("mmap")] [InlineData("mprotect")] [InlineData("madvise")] [InlineData("membarrier")]
    [InlineData("epoll_pwait")] [InlineData("eventfd2")] [InlineData("pipe2")] [InlineData("inotify_add_watch")]
    [InlineData("openat")] [InlineData("statx")] [InlineData("getdents64")] [InlineData("execve")] [InlineData("wait4")]
    [InlineData("connect")] [InlineData("sendmsg")] [InlineData("recvmsg")] [InlineData("socketpair")]
    [InlineData("memfd_create")] [InlineData("shmget")] [InlineData("shmat")] [InlineData("prctl")] [InlineData("seccomp")]
    [InlineData("sched_getaffinity")] [InlineData("getrandom")] [InlineData("rseq")] [InlineData("set_robust_list")]
    [InlineData("prlimit64")] [InlineData("clock_gettime")] [InlineData("setuid")] [InlineData("setgid")] [InlineData("fchown")]
    public void What_a_browser_under_xvfb_needs_is_allowed(string syscall) =>
        Assert.Contains(syscall, Unconditional);

    [Theory]
    [InlineData("clone", 0x7E020000L)]
    [InlineData("unshare", 0x7E020080L)]
    public void Clone_and_unshare_are_allowed_only_without_namespace_flags(string syscall, long mask)
    {
        var rule = Assert.Single(Rules, r => r["names"]!.AsArray().Any(n => n!.GetValue<string>() == syscall));
        var arg = Assert.Single(rule["args"]!.AsArray())!;
        Assert.Equal("SCMP_CMP_MASKED_EQ", arg["op"]!.GetValue<string>());
        Assert.Equal(mask, arg["value"]!.GetValue<long>());
        Assert.Equal(0, arg["valueTwo"]!.GetValue<long>());
    }

    [Fact]
    public void Clone3_says_enosys_so_glibc_falls_back_to_clone()
    {
        var rule = Assert.Single(Rules, r => r["names"]!.AsArray().Any(n => n!.GetValue<string>() == "clone3"));
        Assert.Equal("SCMP_ACT_ERRNO", rule["action"]!.GetValue<string>());
        Assert.Equal(38, rule["errnoRet"]!.GetValue<int>());
    }

    [Fact]
    public void The_built_in_copy_is_the_deploy_file()
    {
        Assert.Equal(Seccomp.Json, SeccompProfile.Load(null).Json);
        Assert.DoesNotContain('\n', Seccomp.Json);
    }

    [Fact]
    public void A_profile_that_allows_by_default_is_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => SeccompProfile.Parse("""{"defaultAction":"SCMP_ACT_ALLOW"}""", "x.json"));
        Assert.Contains("deny by default", e.Message);
        Assert.Throws<InvalidOperationException>(() => SeccompProfile.Parse("not json", "x.json"));
    }
}
