using System.Collections.Concurrent;
using AgentCluster.ComputerProtocol;

namespace AgentCluster.Grains.Computer;

/// <summary>
/// One attach of a channel: a writer for requests and a reader task that hands each reply to
/// the request with its id. When the stream ends or breaks, every waiting request fails with a
/// <see cref="ComputerChannelException"/> and the connection is dead for good.
/// </summary>
internal sealed class ComputerConnection : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly string _container;
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<Frame>> _pending = new();
    private readonly CancellationTokenSource _closed = new();
    private readonly Task _reading;
    private volatile bool _alive = true;

    public ComputerConnection(Stream stream, string container)
    {
        _stream = stream;
        _container = container;
        Writer = new FrameWriter(stream, Frame.MaxRequestPayload);
        _reading = Task.Run(ReadAsync);
    }

    public FrameWriter Writer { get; }
    public bool IsAlive => _alive;

    /// <summary>
    /// Zeros enough to complete any frame a dead attach left half-written on the server's stdin:
    /// the server answers that torn frame with an error nobody waits for, then skips the rest
    /// (zeros are never a frame's start).
    /// </summary>
    public Task FlushTornFrameAsync(CancellationToken ct) =>
        _stream.WriteAsync(new byte[Frame.MaxRequestPayload + Frame.HeaderSize], ct).AsTask();

    public Task<Frame> Register(uint id)
    {
        var reply = new TaskCompletionSource<Frame>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        if (!_alive)
            reply.TrySetException(Dropped(null));
        return reply.Task;
    }

    public void Forget(uint id) => _pending.TryRemove(id, out _);

    public async ValueTask DisposeAsync()
    {
        _alive = false;
        await _closed.CancelAsync();
        await _stream.DisposeAsync();
        // What waits fails now, whether or not the read notices the closed stream at once.
        FailAll(null);
        await _reading;
        _closed.Dispose();
    }

    private async Task ReadAsync()
    {
        Exception? failure = null;
        try
        {
            var reader = new FrameReader(_stream, Frame.MaxReplyPayload);
            while (await reader.ReadAsync(_closed.Token) is { } frame)
            {
                // A reply whose request gave up (or belonged to an earlier attach) is dropped.
                if (_pending.TryRemove(frame.Id, out var reply))
                    reply.TrySetResult(frame);
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            _alive = false;
            FailAll(failure);
        }
    }

    private void FailAll(Exception? failure)
    {
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var reply))
                reply.TrySetException(Dropped(failure));
        }
    }

    private ComputerChannelException Dropped(Exception? cause) =>
        new(cause is OversizeFrameException
            ? $"the computer server in container {_container} sent an oversize reply ({cause.Message}); the channel was dropped"
            : $"the channel to the computer server in container {_container} dropped" + (cause is null ? "" : $": {cause.Message}"), cause);
}
