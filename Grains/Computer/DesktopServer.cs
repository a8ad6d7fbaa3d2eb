using AgentCluster.ComputerProtocol;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Computer;

/// <summary>The warm pool's calls to a desktop's computer server, each over a channel of its own that is closed at once.</summary>
public sealed class DesktopServer(ILogger logger) : IDesktopServer
{
    public async Task WaitForBrowserAsync(IDockerEngine engine, string containerId, CancellationToken ct = default)
    {
        await using var channel = new ComputerChannel(engine, containerId, ComputerChannel.DefaultTimeout, logger);
        await channel.WaitForBrowserAsync(ct);
    }

    public async Task StartSessionAsync(IDockerEngine engine, string containerId, SessionEgress? egress, string? firstPage, CancellationToken ct = default)
    {
        if (egress is null && firstPage is null)
            return;
        await using var channel = new ComputerChannel(engine, containerId, ComputerChannel.DefaultTimeout, logger);
        if (egress is not null)
            await channel.ConfigureEgressAsync(egress, firstPage, ct);
        else
            await channel.SendAsync(new ComputerRequest { Action = ComputerActions.Navigate, Url = firstPage }, ct);
    }
}
