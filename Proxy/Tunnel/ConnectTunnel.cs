using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using AgentCluster.Grains.Sessions;
using AgentCluster.Proxy.Audit;
using AgentCluster.Proxy.Egress;
using AgentCluster.Proxy.Egress.Addresses;
using AgentCluster.Proxy.Egress.Allowlist;
using AgentCluster.Proxy.Identity;
using AgentCluster.Proxy.Interception;
using AgentCluster.Proxy.Limits;
using Microsoft.AspNetCore.Connections;

namespace AgentCluster.Proxy.Tunnel;

/// <summary>
/// A connection middleware: a connection that opens with <c>CONNECT</c> is checked like a plain
/// request (identity, target, limits, allowlist, address guard) and then piped, blind, to the
/// checked address; any other connection goes on to Kestrel's HTTP pipeline untouched.
/// </summary>
public sealed class ConnectTunnel(
    SessionAuthenticator authenticator, TargetResolver resolver, SessionLimits limits, EgressAudit audit,
    ActivityTouches touches, TlsInterception interception, EgressOptions options, ILogger<ConnectTunnel> logger)
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
        var record = (string reason, int status, string decision, EgressPolicyRef? p, long up, long down) =>
            audit.Record(new EgressDecision(p?.Tenant, p?.Session, "CONNECT", head?.Target.Host ?? "", head?.Target.Port ?? 0, "",
                status, up, down, Stopwatch.GetElapsedTime(started), decision, reason));

        var source = (connection.RemoteEndPoint as System.Net.IPEndPoint)?.Address;
        var policy = auth.Count == 0 ? null : await authenticator.Authenticate(auth, source);
        if (policy is null)
        {
            await TunnelResponses.Refuse(output, 407, "Proxy Authentication Required", "proxy-auth-required");
            record(auth.Count == 0 ? "no-credential" : "bad-or-dead-credential", 407, "denied", null, 0, 0);
            return;
        }
        var who = new EgressPolicyRef(policy.Tenant, policy.SessionId);
        if (head is null)
        {
            await TunnelResponses.Refuse(output, 400, "Bad Request", "bad-request");
            record("bad-connect: " + error, 400, "denied", who, 0, 0);
            return;
        }
        using var slot = limits.TryEnter(policy.SessionId, out var limited);
        if (slot is null)
        {
            await TunnelResponses.Refuse(output, 429, "Too Many Requests", "rate-limited");
            record(limited!, 429, "denied", who, 0, 0);
            return;
        }
        if (!SessionAllowlist.Allows(policy, head.Target))
        {
            await TunnelResponses.Refuse(output, 403, "Forbidden", "denied");
            record("not-allowlisted", 403, "denied", who, 0, 0);
            return;
        }
        var checkedTarget = await resolver.Check(head.Target, connection.ConnectionClosed);
        if (checkedTarget.Endpoint is null)
        {
            await TunnelResponses.Refuse(output, 403, "Forbidden", "denied");
            record("address-" + checkedTarget.Refusal, 403, "denied", who, 0, 0);
            return;
        }

        touches.Touch(policy.SessionId);
        if (policy.Intercepts(head.Target.Host))
        {
            // A host a grant is bound to: the requests inside must be seen, so their stubs can be swapped.
            await output.WriteAsync(System.Text.Encoding.ASCII.GetBytes(TunnelResponses.Established));
            await output.FlushAsync();
            var refused = await interception.Serve(connection, next, new InterceptedTarget(head.Target, checkedTarget.Endpoint, auth, source));
            record(refused ?? "", refused is null ? 200 : 403, refused is null ? "intercepted" : "denied", who, 0, 0);
            return;
        }
        var pipe = await BlindPipe.Open(checkedTarget.Endpoint, options.UpstreamConnectTimeout);
        if (pipe is null)
        {
            await TunnelResponses.Refuse(output, 502, "Bad Gateway", "upstream-failed");
            record("upstream-connect-failed", 502, "failed", who, 0, 0);
            return;
        }
        await using (pipe)
        {
            await output.WriteAsync("HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray());
            await output.FlushAsync();
            logger.LogInformation("Tunnel for {Session} to {Target} open", policy.SessionId, head.Target);
            // A tunnel outlives any one request: it is cut as soon as its session stops being live.
            using var sessionEnded = new CancellationTokenSource();
            var watch = Watch(auth, source, sessionEnded);
            var (up, down) = await pipe.Run(connection.Transport, options.UpstreamActivityTimeout, sessionEnded.Token);
            var cut = sessionEnded.IsCancellationRequested;
            await sessionEnded.CancelAsync();
            await watch;
            record(cut ? "session-ended" : "", 200, "tunnelled", who, up, down);
            logger.LogInformation("Tunnel for {Session} to {Target} closed: {Up} bytes up, {Down} down", policy.SessionId, head.Target, up, down);
        }
    }

    /// <summary>Asks the session grain again every <see cref="EgressOptions.TunnelRecheck"/>; cancels <paramref name="ended"/> when it says no.</summary>
    private async Task Watch(Microsoft.Extensions.Primitives.StringValues auth, System.Net.IPAddress? source, CancellationTokenSource ended)
    {
        try
        {
            while (!ended.IsCancellationRequested)
            {
                await Task.Delay(options.TunnelRecheck, ended.Token);
                if (await authenticator.Authenticate(auth, source) is null)
                {
                    await ended.CancelAsync();
                    return;
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
        }
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

    private sealed record EgressPolicyRef(string Tenant, string Session);
}
