using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using static AgentCluster.Tests.Unit.Grains.Fleet.Hosts.HostTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

public sealed class LaunchAdmissionTests
{
    private readonly ContainerLedger _ledger = new();

    private static DockerHostState Host(HostHealth health = HostHealth.Healthy, int capacity = 2, bool registered = true, bool draining = false) =>
        new() { Registered = registered, Draining = draining, Health = health, Capacity = capacity };

    [Fact]
    public void A_host_not_registered_or_draining_takes_nothing_and_an_invalid_spec_is_refused()
    {
        Assert.Null(LaunchAdmission.Before("h1", Host(), []));
        Assert.Equal(
            (LaunchStatus.HostUnavailable, "Docker host h1 is not registered"),
            Said(LaunchAdmission.Before("h1", Host(registered: false), [])));
        Assert.Equal(
            (LaunchStatus.HostUnavailable, "Docker host h1 is draining"),
            Said(LaunchAdmission.Before("h1", Host(draining: true), [])));
        var invalid = LaunchAdmission.Before("h1", Host(), ["memory is too small"]);
        Assert.Equal(LaunchStatus.Invalid, invalid?.Status);
        Assert.Contains("memory is too small", invalid?.Error);
    }

    [Fact]
    public void Only_a_healthy_host_with_a_free_slot_admits_and_the_launch_holds_its_slot()
    {
        Assert.Equal(
            (LaunchStatus.HostUnavailable, "Docker host h1 is Unhealthy: engine is down"),
            Said(LaunchAdmission.Admit("h1", Host(HostHealth.Unhealthy), "engine is down", _ledger, Session(1))));
        Assert.Equal(
            (LaunchStatus.HostUnavailable, "Docker host h1 is Unknown"),
            Said(LaunchAdmission.Admit("h1", Host(HostHealth.Unknown), null, _ledger, Session(1))));

        Assert.Null(LaunchAdmission.Admit("h1", Host(capacity: 2), null, _ledger, Session(1)));
        Assert.Equal(1, _ledger.Running);
        Assert.Equal(
            (LaunchStatus.Failed, $"session {Session(1)} is already being launched on h1"),
            Said(LaunchAdmission.Admit("h1", Host(capacity: 2), null, _ledger, Session(1))));
        Assert.Null(LaunchAdmission.Admit("h1", Host(capacity: 2), null, _ledger, Session(2)));
        Assert.Equal(
            (LaunchStatus.NoCapacity, "Docker host h1 is at capacity (2/2)"),
            Said(LaunchAdmission.Admit("h1", Host(capacity: 2), null, _ledger, Session(3))));
    }

    [Fact]
    public void An_unsafe_host_takes_nothing_and_says_what_its_canary_found()
    {
        var host = Host(HostHealth.Unsafe);
        host.UnsafeReason = "a sandbox reaches 10.211.0.1 on port(s) 22";

        Assert.Equal(
            (LaunchStatus.HostUnavailable, "Docker host h1 is Unsafe: a sandbox reaches 10.211.0.1 on port(s) 22"),
            Said(LaunchAdmission.Admit("h1", host, null, _ledger, Session(1))));
        Assert.Equal(0, _ledger.Running);
    }

    private static (LaunchStatus?, string?) Said(LaunchResult? result) => (result?.Status, result?.Error);
}
