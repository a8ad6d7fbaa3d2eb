using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using static AgentCluster.Tests.Unit.Grains.Fleet.Hosts.HostTestData;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

public sealed class HostContextTests
{
    private readonly TestHost _host = new();

    [Fact]
    public void A_container_is_seen_with_the_later_of_its_label_and_its_extension()
    {
        var container = _host.Tracked(Session(1), deadline: _host.Clock.GetUtcNow().AddMinutes(1));
        var later = _host.Clock.GetUtcNow().AddMinutes(30);
        Assert.Equal(container.Deadline, _host.Context.Effective(container).Deadline);

        _host.State.Extensions[container.Id] = later;
        Assert.Equal(later, _host.Context.Effective(container).Deadline);

        _host.State.Extensions[container.Id] = _host.Clock.GetUtcNow();
        Assert.Equal(container.Deadline, HostContext.Extended(_host.State, container).Deadline);
    }

    [Fact]
    public void A_forgotten_container_is_no_longer_counted_or_extended()
    {
        var container = _host.Tracked(Session(1));
        _host.State.Extensions[container.Id] = _host.Clock.GetUtcNow().AddHours(1);

        _host.Context.Forget(container.Id);

        Assert.False(_host.Ledger.Knows(container.Id));
        Assert.Empty(_host.State.Extensions);
    }
}
