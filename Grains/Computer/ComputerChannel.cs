using System.Text.Json;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using AgentCluster.ComputerProtocol;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Computer;

/// <summary>
/// The silo's end of one desktop sandbox's computer server: requests as frames over the
/// container's attached stdin/stdout, through the Docker Engine API connection, so the sandbox
/// network sees nothing of it. Requests may be in flight concurrently; replies find theirs by id.
/// A dropped attach is made again by the next request; a request not answered within the timeout
/// fails with a <see cref="ComputerChannelException"/> that says so.
/// </summary>
public sealed class ComputerChannel(IDockerEngine engine, string containerId, TimeSpan timeout, ILogger logger) : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ComputerConnection? _connection;
    private int _nextId;

    public string ContainerId => containerId;

    public async Task<ComputerReply> SendAsync(ComputerRequest request, CancellationToken ct = default) =>
        await await WriteAsync(request, ct);

    /// <summary>
    /// Writes the request and returns once it is written (to a paused container too, whose stdin
    /// holds it); the task it returns completes with the answer, as <see cref="SendAsync"/> does.
    /// </summary>
    public async Task<Task<ComputerReply>> WriteAsync(ComputerRequest request, CancellationToken ct = default)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(request, ProtocolJson.Default.ComputerRequest);
        if (payload.Length > Frame.MaxRequestPayload)
            throw new ComputerActionException(ComputerErrorCodes.Oversize,
                $"the {request.Action} request is {payload.Length} bytes; the computer server reads at most {Frame.MaxRequestPayload}");
        // A wait (or a screenshot's for a change) is answered when it is over, a navigate or a ready once the browser is up: the timeout counts from then.
        var limit = timeout + request.Action switch
        {
            ComputerActions.Wait => TimeSpan.FromMilliseconds(Math.Max(0, request.Milliseconds ?? 1000)),
            ComputerActions.Screenshot when request.ChangedFrom is not null => TimeSpan.FromMilliseconds(Math.Max(0, request.Milliseconds ?? 0)),
            ComputerActions.Navigate or ComputerActions.Ready => ComputerRequest.BrowserWindowPatience,
            ComputerActions.Configure when request.Url is not null => ComputerRequest.BrowserWindowPatience,
            _ => TimeSpan.Zero,
        };

        var connection = await ConnectAsync(ct);
        var id = (uint)Interlocked.Increment(ref _nextId);
        var reply = connection.Register(id);
        try
        {
            await connection.Writer.WriteAsync(id, FrameType.Request, payload, ct);
        }
        catch (Exception e)
        {
            connection.Forget(id);
            if (e is not (IOException or ObjectDisposedException))
                throw;
            await DropAsync(connection);
            throw new ComputerChannelException($"the channel to the computer server in container {containerId} broke: {e.Message}", e);
        }
        return AnswerAsync(request.Action, connection, id, reply, limit, ct);
    }

    private async Task<ComputerReply> AnswerAsync(string action, ComputerConnection connection, uint id, Task<Frame> reply, TimeSpan limit, CancellationToken ct)
    {
        try
        {
            var frame = await reply.WaitAsync(limit, ct);
            return frame.Type switch
            {
                FrameType.Result => new ComputerReply(JsonSerializer.Deserialize(frame.Payload, ProtocolJson.Default.ComputerResult), null),
                FrameType.Image => new ComputerReply(null, frame.Payload),
                FrameType.Error => throw Refused(frame.Payload),
                _ => throw new ComputerChannelException($"the computer server in container {containerId} answered {action} with frame type {frame.Type}"),
            };
        }
        catch (TimeoutException e)
        {
            throw new ComputerChannelException(
                $"the computer server in container {containerId} did not answer {action} within {limit.TotalSeconds:0.#} s", e);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            await DropAsync(connection);
            throw new ComputerChannelException($"the channel to the computer server in container {containerId} broke: {e.Message}", e);
        }
        finally
        {
            connection.Forget(id);
        }
    }

    /// <summary>
    /// The one place a session's egress reaches its computer server (a warm desktop's claim and a
    /// cold desktop's start alike): the proxy's URL without userinfo, the credential apart (Chromium
    /// takes none in <c>--proxy-server</c>), and the CA; with <paramref name="firstPage"/>, the page a
    /// claimed desktop's browser goes to next, in the same round trip. The request is never logged.
    /// </summary>
    public Task ConfigureEgressAsync(SessionEgress egress, string? firstPage = null, CancellationToken ct = default) =>
        SendAsync(Configure(egress, firstPage), ct);

    /// <summary>The configure request of <see cref="ConfigureEgressAsync"/>, which holds the session's credential.</summary>
    public static ComputerRequest Configure(SessionEgress egress, string? firstPage)
    {
        var host = egress.ProxyAddress.Contains(':') ? $"[{egress.ProxyAddress}]" : egress.ProxyAddress;
        var settings = new ProxySettings($"http://{host}:{egress.ProxyPort}", $"{egress.Credential.User}:{egress.Credential.Secret}", egress.CaCertificatePem);
        return new ComputerRequest { Action = ComputerActions.Configure, Proxy = settings, Url = firstPage };
    }

    /// <summary>Returns once the server answers and its browser's window is up (a cold start's first seconds).</summary>
    public Task WaitForBrowserAsync(CancellationToken ct = default) =>
        SendAsync(new ComputerRequest { Action = ComputerActions.Ready }, ct);

    /// <summary>Detaches now; the next request attaches again.</summary>
    public async Task DisconnectAsync()
    {
        if (_connection is { } connection)
            await DropAsync(connection);
    }

    public ValueTask DisposeAsync() => _connection is { } connection ? connection.DisposeAsync() : ValueTask.CompletedTask;

    private async Task<ComputerConnection> ConnectAsync(CancellationToken ct)
    {
        if (_connection is { IsAlive: true } current)
            return current;
        await _connecting.WaitAsync(ct);
        try
        {
            if (_connection is { IsAlive: true } raced)
                return raced;
            if (_connection is { } dead)
            {
                logger.LogWarning("The channel to the computer server in container {Container} dropped; attaching again", containerId);
                await dead.DisposeAsync();
            }
            Stream stream;
            try
            {
                stream = await engine.AttachAsync(containerId, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                throw new ComputerChannelException($"could not attach to the computer server in container {containerId}: {e.Message}", e);
            }
            var connection = new ComputerConnection(stream, containerId);
            await connection.FlushTornFrameAsync(ct);
            _connection = connection;
            return connection;
        }
        finally
        {
            _connecting.Release();
        }
    }

    private async Task DropAsync(ComputerConnection connection)
    {
        await _connecting.WaitAsync();
        try
        {
            if (ReferenceEquals(_connection, connection))
                _connection = null;
        }
        finally
        {
            _connecting.Release();
        }
        await connection.DisposeAsync();
    }

    private ComputerActionException Refused(byte[] payload)
    {
        var error = JsonSerializer.Deserialize(payload, ProtocolJson.Default.ComputerError)
            ?? new ComputerError(ComputerErrorCodes.Failed, "an empty error");
        return new ComputerActionException(error.Code, error.Message);
    }
}
