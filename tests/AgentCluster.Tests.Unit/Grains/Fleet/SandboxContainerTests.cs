using AgentCluster.Grains.Fleet;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet;

/// <summary>What a host knows better than a started container's labels, which cannot change.</summary>
public sealed class SandboxContainerTests
{
    private static SandboxContainer Labelled(DateTimeOffset? deadline) => new(
        "c1",
        deadline is { } d
            ? new Dictionary<string, string> { [SandboxLabels.Session] = "ses_1", [SandboxLabels.Deadline] = SandboxContainer.DeadlineLabel(d) }
            : new Dictionary<string, string> { [SandboxLabels.Session] = "ses_1" },
        "running", Now);

    [Fact]
    public void An_extension_only_ever_moves_the_deadline_later()
    {
        var container = Labelled(Now.AddMinutes(10));
        Assert.Equal(Now.AddMinutes(20), container.ExtendedTo(Now.AddMinutes(20)).Deadline);
        Assert.Same(container, container.ExtendedTo(Now.AddMinutes(5)));
        Assert.Same(container, container.ExtendedTo(Now.AddMinutes(10)));
    }

    [Fact]
    public void An_extension_gives_a_container_without_a_readable_deadline_one() =>
        Assert.Equal(Now.AddMinutes(20), Labelled(null).ExtendedTo(Now.AddMinutes(20)).Deadline);

    [Fact]
    public void Relabelling_replaces_only_the_labels_named_and_leaves_the_original_alone()
    {
        var container = Labelled(Now);
        var relabelled = container.Relabelled((SandboxLabels.Tenant, "acme"));
        Assert.Equal(("acme", "ses_1", Now), (relabelled.Tenant, relabelled.SessionId, relabelled.Deadline));
        Assert.Null(container.Tenant);
    }

    [Fact]
    public void A_deadline_label_is_unix_milliseconds() =>
        Assert.Equal("1000", SandboxContainer.DeadlineLabel(DateTimeOffset.FromUnixTimeSeconds(1)));
}
