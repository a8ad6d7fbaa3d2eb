using System.Collections.Concurrent;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

/// <summary>A desktop's computer server as the pool sees it: it records what it was asked, and fails when told to.</summary>
internal sealed class RecordingDesktopServer : IDesktopServer
{
    public ConcurrentQueue<string> Waited { get; } = new();

    /// <summary>Every claimed desktop's start: its egress (null on a host without a proxy), first page, and whether it came on the pool's line.</summary>
    public ConcurrentQueue<(string Container, SessionEgress? Egress, string? FirstPage, bool OnLine)> Started { get; } = new();

    public IEnumerable<(string Container, SessionEgress Egress)> Configured =>
        Started.Where(s => s.Egress is not null).Select(s => (s.Container, s.Egress!));

    /// <summary>The lines handed out, by container: closed or not.</summary>
    public ConcurrentDictionary<string, bool> LinesClosed { get; } = new();

    public volatile bool FailBrowser;

    public volatile bool FailConfigure;

    /// <summary>Lines break while their desktops idle: a claim's write on one fails.</summary>
    public volatile bool BreakLines;

    /// <summary>Called with the container's id as each call begins (for a line's start, as it is written).</summary>
    public Action<string>? OnAsk { get; set; }

    public Task<IDesktopLine> WaitForBrowserAsync(IDockerEngine engine, string containerId, CancellationToken ct = default)
    {
        Record(containerId);
        Waited.Enqueue(containerId);
        if (FailBrowser)
            return Task.FromException<IDesktopLine>(new TimeoutException("no browser window appeared within 20 s"));
        LinesClosed[containerId] = false;
        return Task.FromResult<IDesktopLine>(new Line(this, containerId));
    }

    public Task StartSessionAsync(IDockerEngine engine, string containerId, SessionEgress? egress, string? firstPage, CancellationToken ct = default)
    {
        Record(containerId);
        if (FailConfigure)
            return Task.FromException(new IOException("the channel broke"));
        Started.Enqueue((containerId, egress, firstPage, false));
        return Task.CompletedTask;
    }

    private void Record(string containerId) => OnAsk?.Invoke(containerId);

    private sealed class Line(RecordingDesktopServer server, string container) : IDesktopLine
    {
        public Task<Task> StartSessionAsync(SessionEgress? egress, string? firstPage, CancellationToken ct = default)
        {
            if (server.BreakLines || server.LinesClosed[container])
                return Task.FromException<Task>(new IOException("the line broke"));
            if (egress is null && firstPage is null)
                return Task.FromResult(Task.CompletedTask);
            server.Record(container);
            server.Started.Enqueue((container, egress, firstPage, true));
            // The answer: what the claim awaits once the container runs.
            return Task.FromResult(server.FailConfigure ? Task.FromException(new IOException("the channel broke")) : Task.CompletedTask);
        }

        public ValueTask DisposeAsync()
        {
            server.LinesClosed[container] = true;
            return ValueTask.CompletedTask;
        }
    }
}
