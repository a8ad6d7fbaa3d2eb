using System.Collections.Immutable;
using AgentCluster.Grains.Fleet;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet;

public sealed class SandboxSpecValidationTests
{
    private static readonly SandboxLimits Limits = new();

    private static IReadOnlyList<string> Errors(SandboxSpec spec) => SandboxSpecValidation.Errors(spec, Limits, Now);

    [Fact]
    public void The_defaults_are_valid() => Assert.Empty(Errors(Spec()));

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(64 * 1024 * 1024 - 1)]
    [InlineData(16L * 1024 * 1024 * 1024 + 1)]
    public void Memory_outside_the_bounds_is_refused(long memory)
    {
        var error = Assert.Single(Errors(Spec() with { MemoryBytes = memory }));
        Assert.Equal($"memory {memory} bytes is outside the allowed range 67108864-17179869184 bytes", error);
    }

    [Theory]
    [InlineData(0)] // Docker: unlimited
    [InlineData(-1)] // Docker: unlimited
    [InlineData(15)]
    [InlineData(4097)]
    public void A_pids_limit_outside_the_bounds_is_refused(long pids) =>
        Assert.Equal($"pids limit {pids} is outside the allowed range 16-4096", Assert.Single(Errors(Spec() with { PidsLimit = pids })));

    [Fact]
    public void The_bounds_themselves_are_allowed()
    {
        Assert.Empty(Errors(Spec() with { MemoryBytes = Limits.MinMemoryBytes, PidsLimit = Limits.MinPids }));
        Assert.Empty(Errors(Spec() with { MemoryBytes = Limits.MaxMemoryBytes, PidsLimit = Limits.MaxPids }));
    }

    [Theory]
    [InlineData(0)] // Docker: unlimited
    [InlineData(-1)]
    [InlineData(9_999_999)]
    [InlineData(64_000_000_001)]
    public void Cpu_outside_the_bounds_is_refused(long nanoCpus) =>
        Assert.Equal($"cpu {nanoCpus} nano-CPUs is outside the allowed range 10000000-64000000000 nano-CPUs",
            Assert.Single(Errors(Spec() with { NanoCpus = nanoCpus })));

    [Fact]
    public void Tmpfs_sizes_are_bounded()
    {
        Assert.Equal(["/tmp size 0 bytes is outside the allowed range 1048576-4294967296 bytes"], Errors(Spec() with { TmpSizeBytes = 0 }));
        Assert.Single(Errors(Spec() with { CacheSizeBytes = 5L * 1024 * 1024 * 1024 }));
    }

    [Fact]
    public void A_deadline_that_has_passed_is_refused()
    {
        Assert.Contains("has already passed", Assert.Single(Errors(Spec() with { Deadline = Now })));
        Assert.Single(Errors(Spec() with { Deadline = Now.AddSeconds(-5) }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-leading-dash")]
    [InlineData("ses/slash")]
    [InlineData("ses space")]
    public void A_session_id_that_cannot_name_a_container_is_refused(string id) =>
        Assert.Contains("session id", Assert.Single(Errors(Spec() with { SessionId = id })));

    [Theory]
    [InlineData("")]
    [InlineData("image with spaces")]
    [InlineData("image\n")]
    public void An_image_name_with_spaces_or_nothing_is_refused(string image) =>
        Assert.Contains("image", Assert.Single(Errors(Spec() with { Image = image })));

    [Fact]
    public void Tenant_and_host_labels_are_checked()
    {
        Assert.Contains("tenant", Assert.Single(Errors(Spec() with { Tenant = " " })));
        Assert.Contains("label", Assert.Single(Errors(Spec() with { HostLabels = ImmutableDictionary<string, string>.Empty.Add(" ", "x") })));
    }

    [Fact]
    public void Limits_are_configurable()
    {
        var tight = new SandboxLimits { MaxMemoryBytes = 128 * SandboxSpec.MiB, MaxPids = 64 };
        Assert.Equal(2, SandboxSpecValidation.Errors(Spec(), tight, Now).Count);
    }
}
