using AgentCluster.ComputerProtocol;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Computer;

/// <summary>The warm pool's calls to a desktop's computer server, each over a channel of its own.</summary>
public sealed class DesktopServer(ILogger logger) : IDesktopServer
{
    public async Task<IDesktopLine> WaitForBrowserAsync(IDockerEngine engine, string containerId, CancellationToken ct = default)
    {
        var channel = new ComputerChannel(engine, containerId, ComputerChannel.DefaultTimeout, logger);
        try
        {
            await channel.WaitForBrowserAsync(ct);
            return new DesktopLine(channel);
        }
        catch
        {
            await channel.DisposeAsync();
            throw;
        }
    }

    public async Task StartSessionAsync(IDockerEngine engine, string containerId, SessionEgress? egress, string? firstPage, CancellationToken ct = default)
    {
        await using var channel = new ComputerChannel(engine, containerId, ComputerChannel.DefaultTimeout, logger);
        await await DesktopLine.StartAsync(channel, egress, firstPage, ct);
    }

    private sealed class DesktopLine(ComputerChannel channel) : IDesktopLine
    {
        public Task<Task> StartSessionAsync(SessionEgress? egress, string? firstPage, CancellationToken ct = default) =>
            StartAsync(channel, egress, firstPage, ct);

        public ValueTask DisposeAsync() => channel.DisposeAsync();

        public static async Task<Task> StartAsync(ComputerChannel channel, SessionEgress? egress, string? firstPage, CancellationToken ct)
        {
            if (egress is null && firstPage is null)
                return Task.CompletedTask;
            return await channel.WriteAsync(egress is not null
                ? ComputerChannel.Configure(egress, firstPage)
                : new ComputerRequest { Action = ComputerActions.Navigate, Url = firstPage }, ct);
        }
    }
}
