using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using AgentCluster.Grains.Egress;
using AgentCluster.Proxy.Audit;
using AgentCluster.Proxy.Egress;
using AgentCluster.Proxy.Identity;
using AgentCluster.Proxy.Interception;
using AgentCluster.Proxy.Pipeline;
using Microsoft.AspNetCore.Connections;

namespace AgentCluster.Proxy.Tunnel;

/// <summary>
/// A connection middleware: a connection that opens with <c>CONNECT</c> runs the same
/// <see cref="EgressSteps"/> as a plain request and is then intercepted or piped, blind, to the
/// checked address; any other connection goes on to Kestrel's HTTP pipeline untouched.
/// </summary>
public sealed class ConnectTunnel(
    EgressSteps steps, SessionAuthenticator authenticator, EgressAudit audit, ActivityTouches touches, TlsInterception interception,
    EgressOptions options, ILogger<ConnectTunnel> logger)
{
    private const int MaxHead = 16 * 1024;

    public async Task Handle(ConnectionContext connection, ConnectionDelegate next)
    {
        var input = connection.Transport.Input;
        using var headTimeout = new CancellationTokenSource(options.RequestHeadersTimeout);
        ReadResult read;
        try
        {
            read = await ReadAtLeast(input, 8, headTimeout.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (read.Buffer.Length < 8 || !ConnectHead.LooksLikeConnect(read.Buffer.Slice(0, 8).ToArray()))
        {
            // Not ours: hand every byte, unconsumed, to Kestrel.
            input.AdvanceTo(read.Buffer.Start, read.Buffer.Start);
            await next(connection);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        SequencePosition? end;
        try
        {
            while ((end = HeadEnd(read.Buffer)) is null && read.Buffer.Length < MaxHead && !read.IsCompleted)
            {
                input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                read = await input.ReadAsync(headTimeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            await TunnelResponses.Refuse(connection.Transport.Output, 408, "Request Timeout", "bad-request");
            return;
        }
        if (end is null || read.Buffer.Slice(0, end.Value).Length > MaxHead)
        {
            await TunnelResponses.Refuse(connection.Transport.Output, 431, "Request Header Fields Too Large", "bad-request");
            return;
        }
        var headText = ConnectHead.Text(read.Buffer.Slice(0, end.Value).ToArray());
        input.AdvanceTo(read.Buffer.GetPosition(4, end.Value));
        await Open(connection, next, headText, started);
    }

    private async Task Open(ConnectionContext connection, ConnectionDelegate next, string headText, long started)
    {
        var output = connection.Transport.Output;
        var head = ConnectHead.Parse(headText, out var auth, out var error);
        var source = (connection.RemoteEndPoint as System.Net.IPEndPoint)?.Address;
        using var exchange = new ConnectExchange(head, error, auth, source, output, started, connection.ConnectionClosed);
        // The session's slot is held by the exchange for as long as the tunnel stays open.
        if (!await steps.Pass(exchange))
            return;
        var (policy, target) = (exchange.Session, exchange.RequiredTarget);
        var endpoint = exchange.Endpoint ?? throw new InvalidOperationException("a tunnel without a checked address");

        touches.Touch(policy.SessionId);
        if (policy.Intercepts(target.Host))
        {
            // A host a grant is bound to: the requests inside must be seen, so their stubs can be swapped.
            await output.WriteAsync(System.Text.Encoding.ASCII.GetBytes(TunnelResponses.Established));
            await output.FlushAsync();
            var refused = await interception.Serve(connection, next, new InterceptedTarget(target, endpoint, auth, source));
            audit.Record(exchange.Decision(refused is null ? 200 : 403, 0, 0, refused is null ? "intercepted" : "denied", refused ?? ""));
            return;
        }
        var pipe = await BlindPipe.Open(endpoint, options.UpstreamConnectTimeout);
        if (pipe is null)
        {
            await TunnelResponses.Refuse(output, 502, "Bad Gateway", "upstream-failed");
            audit.Record(exchange.Decision(502, 0, 0, "failed", "upstream-connect-failed"));
            return;
        }
        await using (pipe)
        {
            await output.WriteAsync("HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray());
            await output.FlushAsync();
            logger.LogInformation("Tunnel for {Session} to {Target} open", policy.SessionId, target);
            // A tunnel outlives any one request: it is cut as soon as its session stops being live.
            using var sessionEnded = new CancellationTokenSource();
            var watch = Watch(auth, source, target, sessionEnded);
            var (up, down) = await pipe.Run(connection.Transport, options.UpstreamActivityTimeout, sessionEnded.Token);
            var cut = sessionEnded.IsCancellationRequested;
            await sessionEnded.CancelAsync();
            var reason = await watch;
            audit.Record(exchange.Decision(200, up, down, "tunnelled", cut ? reason ?? "session-ended" : ""));
            logger.LogInformation("Tunnel for {Session} to {Target} closed: {Up} bytes up, {Down} down", policy.SessionId, target, up, down);
        }
    }

    /// <summary>
    /// Asks the session grain again every <see cref="EgressOptions.TunnelRecheck"/>; cancels
    /// <paramref name="ended"/> when the session is gone or no longer allows the tunnel's target
    /// (an allowlist narrowed while the tunnel is open must not leave it open), and says why.
    /// </summary>
    private async Task<string?> Watch(Microsoft.Extensions.Primitives.StringValues auth, System.Net.IPAddress? source, Authority target, CancellationTokenSource ended)
    {
        try
        {
            while (!ended.IsCancellationRequested)
            {
                await Task.Delay(options.TunnelRecheck, ended.Token);
                var policy = await authenticator.Authenticate(auth, source);
                var reason = policy is null ? "session-ended"
                    : SessionAllowlist.Allows(policy, target) ? null : "not-allowlisted";
                if (reason is not null)
                {
                    await ended.CancelAsync();
                    return reason;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e)
        {
            // The cluster cannot say the session is live: fail closed.
            logger.LogWarning(e, "Tunnel re-check failed; closing the tunnel");
            await ended.CancelAsync();
            return "recheck-failed";
        }
        return null;
    }

    private static async Task<ReadResult> ReadAtLeast(PipeReader input, int count, CancellationToken ct)
    {
        var read = await input.ReadAsync(ct);
        while (read.Buffer.Length < count && !read.IsCompleted)
        {
            input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            read = await input.ReadAsync(ct);
        }
        return read;
    }

    private static SequencePosition? HeadEnd(ReadOnlySequence<byte> buffer) =>
        new SequenceReader<byte>(buffer) is var reader && reader.TryReadTo(out ReadOnlySequence<byte> head, "\r\n\r\n"u8, advancePastDelimiter: false)
            ? head.End : null;

}
