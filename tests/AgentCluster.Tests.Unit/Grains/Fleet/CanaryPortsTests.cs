using AgentCluster.Grains.Fleet;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentCluster.Tests.Unit.Grains.Fleet;

public sealed class CanaryPortsTests
{
    private static CanaryOptions Canary(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddAgentClusterFleet(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<FleetOptions>>().Value.Canary;
    }

    [Fact]
    public void The_canary_probes_the_clusters_ports_the_stores_the_well_known_and_the_extra_ones_but_not_the_proxys()
    {
        var canary = Canary(new()
        {
            ["AgentCluster:Ports:Api"] = "6080",
            ["AgentCluster:Storage:Provider"] = "postgres",
            ["AgentCluster:Storage:ConnectionString"] = "Host=127.0.0.1;Port=6543",
            ["AgentCluster:Fleet:ProxyPort"] = "9443",
            ["AgentCluster:Fleet:Canary:Ports:0"] = "7000",
        });

        Assert.Equal([22, 2375, 2376, 5081, 5432, 6080, 6543, 7000, 8443, 11111, 30000], canary.Probed);
    }

    [Fact]
    public void The_proxy_port_is_never_among_the_ports_that_must_not_answer()
    {
        var canary = Canary(new() { ["AgentCluster:Fleet:ProxyPort"] = "5080", ["AgentCluster:Fleet:Canary:Ports:0"] = "5080" });

        Assert.DoesNotContain(5080, canary.Probed);
        Assert.Contains(8443, canary.Probed);
    }
}
