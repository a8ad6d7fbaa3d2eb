using System.Collections.Concurrent;
using System.Net;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Grains.Approvals.Notices;

/// <summary>A real HTTP server on loopback that records each request and answers with the status its script says.</summary>
internal sealed class WebhookListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<int, int> _status;
    private readonly Task _loop;

    public WebhookListener(Func<int, int> statusForAttempt)
    {
        _status = statusForAttempt;
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/hooks/approvals?token=path-secret";

    public ConcurrentQueue<(string Signature, byte[] Body, DateTimeOffset At)> Received { get; } = new();

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            Received.Enqueue((context.Request.Headers["X-AgentCluster-Signature"] ?? "", body.ToArray(), DateTimeOffset.UtcNow));
            context.Response.StatusCode = _status(Received.Count);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
