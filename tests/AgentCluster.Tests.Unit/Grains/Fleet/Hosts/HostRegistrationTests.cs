using System.Collections.Immutable;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using static AgentCluster.Tests.Unit.Grains.Fleet.FleetTestData;
using static AgentCluster.Tests.Unit.Grains.Fleet.Hosts.HostTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

public sealed class HostRegistrationTests
{
    private readonly DockerHostState _state = new();
    private readonly ContainerLedger _ledger = new();
    private readonly HealthWatch _health = new(new FleetOptions(), new HandClock(Now));

    private static DockerHostRegistration Registration(string endpoint = "unix:///a.sock", int capacity = 5, string? label = null) =>
        new(endpoint, null, capacity, label is null ? ImmutableDictionary<string, string>.Empty : ImmutableDictionary<string, string>.Empty.Add(label, "on"));

    private HostRegistration.Change? Apply(DockerHostRegistration registration) => HostRegistration.Apply(_state, registration, _ledger, _health);

    [Fact]
    public void A_first_registration_is_a_new_host_and_the_same_again_changes_nothing()
    {
        Assert.Equal(HostRegistration.Change.Moved, Apply(Registration()));
        Assert.Equal((true, "unix:///a.sock", 5), (_state.Registered, _state.Endpoint, _state.Capacity));
        Assert.Null(Apply(Registration()));
        Assert.Equal(HostRegistration.Change.Settings, Apply(Registration(capacity: 6)));
        Assert.Equal(HostRegistration.Change.Settings, Apply(Registration(capacity: 6, label: "gpu")));
        Assert.Equal("on", _state.Labels["gpu"]);
    }

    [Fact]
    public void A_new_endpoint_is_a_new_host_that_forgets_the_old_one()
    {
        Apply(Registration());
        _state.Health = HostHealth.Healthy;
        _state.Sessions.Add(Session(1));
        _ledger.Rebuild(_ledger.Epoch, [Sandbox("c1", Session(1))]);
        var generation = _health.Generation;

        Assert.Equal(HostRegistration.Change.Moved, Apply(Registration("unix:///b.sock")));

        Assert.Equal((HostHealth.Unknown, 0, false), (_state.Health, _state.Sessions.Count, _ledger.Listed));
        Assert.False(_ledger.Knows("c1"));
        Assert.Equal(generation + 1, _health.Generation);
    }

    [Fact]
    public void A_bad_registration_is_refused_and_changes_nothing()
    {
        Apply(Registration());

        Assert.Throws<ArgumentException>(() => Apply(Registration(capacity: 10_001)));
        Assert.Throws<ArgumentException>(() => Apply(Registration("unix:///b.sock", label: " ")));
        Assert.ThrowsAny<ArgumentException>(() => Apply(Registration("tcp://10.1.2.3:2375")));

        Assert.Equal(("unix:///a.sock", 5), (_state.Endpoint, _state.Capacity));
        Assert.Empty(_state.Labels);
    }
}
