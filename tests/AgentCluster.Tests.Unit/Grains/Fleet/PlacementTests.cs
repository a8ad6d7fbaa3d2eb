using System.Collections.Immutable;
using AgentCluster.Grains.Fleet;

namespace AgentCluster.Tests.Unit.Grains.Fleet;

public sealed class PlacementTests
{
    private static readonly ImmutableDictionary<string, string> None = ImmutableDictionary<string, string>.Empty;

    private static DockerHostStatus Host(string name, int running, int capacity = 10, HostHealth health = HostHealth.Healthy,
        bool draining = false, params (string Key, string Value)[] labels) =>
        new(name, "unix:///x.sock", capacity, running,
            labels.ToImmutableDictionary(l => l.Key, l => l.Value), draining, health, 0, null, null);

    private static ImmutableDictionary<string, string> Labels(params (string Key, string Value)[] labels) =>
        labels.ToImmutableDictionary(l => l.Key, l => l.Value);

    /// <summary>The host a launch tries first: the best candidate, or null when there is none.</summary>
    private static string? Chosen(IReadOnlyCollection<DockerHostStatus> hosts, ImmutableDictionary<string, string> required) =>
        Placement.Candidates(hosts, required) is [var best, ..] ? best.Name : null;

    /// <summary>Why no host is chosen; fails when one is.</summary>
    private static string Refusal(IReadOnlyCollection<DockerHostStatus> hosts, ImmutableDictionary<string, string> required)
    {
        Assert.Null(Chosen(hosts, required));
        return Placement.WhyNoHost(hosts, required);
    }

    [Fact]
    public void The_least_loaded_host_wins()
    {
        Assert.Equal("b", Chosen([Host("a", 5), Host("b", 2), Host("c", 7)], None));
    }

    [Fact]
    public void Load_is_the_share_of_capacity_in_use()
    {
        // b runs more but is emptier relative to its size.
        Assert.Equal("b", Chosen([Host("a", 2, capacity: 4), Host("b", 3, capacity: 20)], None));
    }

    [Fact]
    public void Ties_go_to_more_free_slots_then_to_the_name()
    {
        Assert.Equal("big", Chosen([Host("small", 0, capacity: 2), Host("big", 0, capacity: 8)], None));
        Assert.Equal(["a", "b"], Placement.Candidates([Host("b", 1), Host("a", 1)], None).Select(h => h.Name));
    }

    [Fact]
    public void Unhealthy_unknown_draining_and_full_hosts_are_skipped()
    {
        var hosts = new[]
        {
            Host("sick", 0, health: HostHealth.Unhealthy),
            Host("new", 0, health: HostHealth.Unknown),
            Host("draining", 0, draining: true),
            Host("full", 10),
            Host("busy", 9),
        };
        Assert.Equal("busy", Chosen(hosts, None));
    }

    [Fact]
    public void Every_requested_label_must_match()
    {
        var hosts = new[] { Host("a", 0, labels: ("zone", "x")), Host("b", 5, labels: [("zone", "y"), ("gpu", "1")]) };
        Assert.Equal("b", Chosen(hosts, Labels(("zone", "y"))));
        Assert.Equal("b", Chosen(hosts, Labels(("zone", "y"), ("gpu", "1"))));
        Assert.Equal("a", Chosen(hosts, None));
        Assert.Equal("no Docker host has the labels gpu=1,zone=x", Refusal(hosts, Labels(("zone", "x"), ("gpu", "1"))));
    }

    [Fact]
    public void No_capacity_says_why()
    {
        Assert.Equal("no Docker host is registered", Refusal([], None));
        Assert.Equal("all 2 healthy Docker hosts are at capacity",
            Refusal([Host("a", 10), Host("b", 3, capacity: 3)], None));
        Assert.Equal("none of the 2 matching Docker hosts is healthy and accepting sessions",
            Refusal([Host("a", 0, health: HostHealth.Unhealthy), Host("b", 0, draining: true)], None));
        Assert.Null(Chosen([Host("zero", 0, capacity: 0)], None));
    }

    [Fact]
    public void A_host_whose_first_check_has_not_ended_is_waited_for_and_one_checked_or_draining_is_not()
    {
        var fresh = Host("fresh", 0, health: HostHealth.Unknown);
        var failedOnce = Host("failed", 0, health: HostHealth.Unknown) with { LastCheckAt = DateTimeOffset.UnixEpoch };
        var draining = Host("draining", 0, health: HostHealth.Unknown, draining: true);
        var elsewhere = Host("gpu", 0, health: HostHealth.Unknown, labels: ("gpu", "yes"));

        Assert.Equal(["fresh", "gpu"], Placement.Unchecked([fresh, failedOnce, draining, elsewhere, Host("ok", 0)], None).Select(h => h.Name));
        Assert.Equal(["gpu"], Placement.Unchecked([fresh, elsewhere], Labels(("gpu", "yes"))).Select(h => h.Name));
    }
}
