using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Integration.Infrastructure;
using AgentCluster.Tests.Integration.Silo.Api;

namespace AgentCluster.Tests.Integration.Sandbox.Egress;

/// <summary>The desktops-with-egress node, every host keeping one paused desktop for a claim.</summary>
public sealed class PooledDesktopEgressFixture : DesktopEgressFixture
{
    protected override IEnumerable<string> SiloArgs => DockerHosts.WarmPoolArgs(Image, PooledComputerNodeFixture.PoolSize);

    /// <summary>The idle pool containers too: they carry no tenant. The silo is gone by then and cannot refill.</summary>
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await DockerHosts.RemoveAll(SandboxLabels.Pool);
    }
}
