using System.Text;
using System.Text.Json;
using AgentCluster.ComputerProtocol;

namespace AgentCluster.ComputerServer.Serving;

/// <summary>
/// Serves the computer protocol over two streams (the process's stdin and stdout): each request
/// runs on its own, at most <see cref="MaxInFlight"/> at once, and its reply carries its id.
/// Returns when the input ends.
/// </summary>
internal sealed class ComputerServer(Stream input, Stream output, Func<ComputerRequest, CancellationToken, Task<(FrameType, byte[])>> handle)
{
    public const int MaxInFlight = 16;

    private readonly FrameWriter _writer = new(output, Frame.MaxReplyPayload);
    private readonly SemaphoreSlim _slots = new(MaxInFlight, MaxInFlight);

    public async Task RunAsync(CancellationToken ct)
    {
        var reader = new FrameReader(input, Frame.MaxRequestPayload);
        var running = new List<Task>();
        while (true)
        {
            Frame? frame;
            try
            {
                frame = await reader.ReadAsync(ct);
            }
            catch (OversizeFrameException e)
            {
                await ErrorAsync(e.Id, ComputerErrorCodes.Oversize, e.Message, ct);
                continue;
            }
            catch (EndOfStreamException)
            {
                break;
            }
            if (frame is null)
                break;
            await _slots.WaitAsync(ct);
            running.RemoveAll(t => t.IsCompleted);
            running.Add(ServeAsync(frame, ct));
        }
        await Task.WhenAll(running);
    }

    private async Task ServeAsync(Frame frame, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            if (frame.Type != FrameType.Request)
            {
                await ErrorAsync(frame.Id, ComputerErrorCodes.BadRequest, $"frame type {frame.Type} is not a request", ct);
                return;
            }
            ComputerRequest? request;
            try
            {
                request = JsonSerializer.Deserialize(frame.Payload, ProtocolJson.Default.ComputerRequest);
            }
            catch (JsonException e)
            {
                await ErrorAsync(frame.Id, ComputerErrorCodes.BadRequest, "the request is not valid JSON: " + e.Message, ct);
                return;
            }
            if (request is null)
            {
                await ErrorAsync(frame.Id, ComputerErrorCodes.BadRequest, "the request is empty", ct);
                return;
            }
            try
            {
                var (type, payload) = await handle(request, ct);
                await _writer.WriteAsync(frame.Id, type, payload, ct);
            }
            catch (ArgumentException e)
            {
                await ErrorAsync(frame.Id, ComputerErrorCodes.BadRequest, e.Message, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await Console.Error.WriteLineAsync($"{request.Action} failed: {e}");
                await ErrorAsync(frame.Id, ComputerErrorCodes.Failed, $"{request.Action} failed: {e.Message}", ct);
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private Task ErrorAsync(uint id, string code, string message, CancellationToken ct) =>
        _writer.WriteAsync(id, FrameType.Error, JsonSerializer.SerializeToUtf8Bytes(new ComputerError(code, message), ProtocolJson.Default.ComputerError), ct);
}
