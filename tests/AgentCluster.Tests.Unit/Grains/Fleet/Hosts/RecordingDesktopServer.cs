using System.Collections.Concurrent;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

/// <summary>A desktop's computer server as the pool sees it: it records what it was asked, and fails when told to.</summary>
internal sealed class RecordingDesktopServer : IDesktopServer
{
    public ConcurrentQueue<string> Waited { get; } = new();

    /// <summary>Every claimed desktop's start: its egress (null on a host without a proxy) and first page.</summary>
    public ConcurrentQueue<(string Container, SessionEgress? Egress, string? FirstPage)> Started { get; } = new();

    public IEnumerable<(string Container, SessionEgress Egress)> Configured =>
        Started.Where(s => s.Egress is not null).Select(s => (s.Container, s.Egress!));

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

    public Task StartSessionAsync(IDockerEngine engine, string containerId, SessionEgress? egress, string? firstPage, CancellationToken ct = default)
    {
        Record(containerId);
        if (FailConfigure)
            return Task.FromException(new IOException("the channel broke"));
        Started.Enqueue((containerId, egress, firstPage));
        return Task.CompletedTask;
    }

    private void Record(string containerId) => OnAsk?.Invoke(containerId);
}
