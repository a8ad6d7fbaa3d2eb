using System.Collections.Concurrent;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

/// <summary>A desktop's computer server as the pool sees it: it records what it was asked, and fails when told to.</summary>
internal sealed class RecordingDesktopServer : IDesktopServer
{
    public ConcurrentQueue<string> Waited { get; } = new();

    public ConcurrentQueue<(string Container, SessionEgress Egress)> Configured { get; } = new();

    public volatile bool FailBrowser;

    public volatile bool FailConfigure;

    /// <summary>Called with the container's id as each call begins.</summary>
    public Action<string>? OnAsk { get; set; }

    public Task WaitForBrowserAsync(IDockerEngine engine, string containerId, CancellationToken ct = default)
    {
        Record(containerId);
        Waited.Enqueue(containerId);
        return FailBrowser ? Task.FromException(new TimeoutException("no browser window appeared within 20 s")) : Task.CompletedTask;
    }

    public Task ConfigureEgressAsync(IDockerEngine engine, string containerId, SessionEgress egress, CancellationToken ct = default)
    {
        Record(containerId);
        if (FailConfigure)
            return Task.FromException(new IOException("the channel broke"));
        Configured.Enqueue((containerId, egress));
        return Task.CompletedTask;
    }

    private void Record(string containerId) => OnAsk?.Invoke(containerId);
}
