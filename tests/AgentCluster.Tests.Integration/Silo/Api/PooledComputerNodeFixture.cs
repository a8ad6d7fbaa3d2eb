using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Silo.Api;

/// <summary>The computer node, every host keeping a warm pool of <see cref="PoolSize"/> desktops.</summary>
public sealed class PooledComputerNodeFixture : ComputerNodeFixture
{
    public const int PoolSize = 1;

    protected override IEnumerable<string> SiloArgs => DockerHosts.WarmPoolArgs(DesktopImage, PoolSize);

    /// <summary>Paused desktops on the test engines, waiting for a claim.</summary>
    public static async Task<int> Warm()
    {
        var warm = 0;
        foreach (var endpoint in DockerHosts.Endpoints)
        {
            var (code, output) = await DockerHosts.Docker(endpoint, "ps", "-q", "--filter", $"label={SandboxLabels.Pool}", "--filter", "status=paused");
            Assert.True(code == 0, output);
            warm += output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        }
        return warm;
    }

    /// <summary>The idle pool containers too: they carry no tenant. The silo is gone by then and cannot refill.</summary>
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await DockerHosts.RemoveAll(SandboxLabels.Pool);
    }
}
