using System.Buffers;
using System.Buffers.Binary;

namespace AgentCluster.ComputerProtocol;

/// <summary>Writes whole frames, one at a time, so concurrent replies never interleave.</summary>
public sealed class FrameWriter(Stream stream, int maxPayload)
{
    private readonly SemaphoreSlim _lock = new(1, 1);

    public async Task WriteAsync(uint id, FrameType type, ReadOnlyMemory<byte> payload, CancellationToken ct = default)
    {
        if (payload.Length > maxPayload)
            throw new OversizeFrameException(id, payload.Length, maxPayload);
        // One buffer, one write: a torn write then tears at most one frame.
        var buffer = ArrayPool<byte>.Shared.Rent(Frame.HeaderSize + payload.Length);
        try
        {
            var length = WriteHeader(buffer, id, type, payload.Length);
            payload.Span.CopyTo(buffer.AsSpan(length));
            await _lock.WaitAsync(ct);
            try
            {
                await stream.WriteAsync(buffer.AsMemory(0, length + payload.Length), ct);
                await stream.FlushAsync(ct);
            }
            finally
            {
                _lock.Release();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Writes a header announcing <paramref name="payloadLength"/> bytes; returns the header's size.</summary>
    public static int WriteHeader(Span<byte> buffer, uint id, FrameType type, int payloadLength)
    {
        Frame.Magic.CopyTo(buffer);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], (uint)payloadLength);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], id);
        buffer[12] = (byte)type;
        return Frame.HeaderSize;
    }
}
