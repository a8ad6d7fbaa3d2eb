using System.Buffers.Binary;

namespace AgentCluster.ComputerProtocol;

/// <summary>
/// Reads frames from a byte stream. Bytes before a frame's magic are skipped (and counted), so a
/// frame torn by a dead writer costs at most that frame. A frame larger than the bound is skipped
/// unread and reported, and the reader stays in step.
/// </summary>
public sealed class FrameReader(Stream stream, int maxPayload)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>Bytes skipped because they were no frame's start.</summary>
    public long SkippedBytes { get; private set; }

    /// <summary>
    /// The next frame; null at the end of the stream. Throws <see cref="OversizeFrameException"/>
    /// for a frame over the bound (its payload already skipped) and <see cref="EndOfStreamException"/>
    /// when the stream ends inside a frame.
    /// </summary>
    public async ValueTask<Frame?> ReadAsync(CancellationToken ct = default)
    {
        while (true)
        {
            if (!await FillAsync(Frame.HeaderSize, ct))
                return null;
            var buffered = _buffer.AsSpan(_start, _end - _start);
            if (buffered.StartsWith(Frame.Magic))
                break;
            var next = buffered[1..].IndexOf(Frame.Magic[0]);
            var skip = next < 0 ? buffered.Length : next + 1;
            _start += skip;
            SkippedBytes += skip;
        }

        var header = _buffer.AsSpan(_start, Frame.HeaderSize);
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        var id = BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
        var type = (FrameType)header[12];
        _start += Frame.HeaderSize;
        if (length > maxPayload)
        {
            await SkipAsync(length, ct);
            throw new OversizeFrameException(id, length, maxPayload);
        }

        var payload = new byte[length];
        var fromBuffer = Math.Min((int)length, _end - _start);
        _buffer.AsSpan(_start, fromBuffer).CopyTo(payload);
        _start += fromBuffer;
        if (fromBuffer < payload.Length)
            await stream.ReadExactlyAsync(payload.AsMemory(fromBuffer), ct);
        return new Frame(id, type, payload);
    }

    private async ValueTask<bool> FillAsync(int count, CancellationToken ct)
    {
        if (_end - _start >= count)
            return true;
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        while (_end < count)
        {
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
            if (read == 0)
            {
                if (_end > 0)
                    throw new EndOfStreamException($"the stream ended inside a frame header ({_end} bytes)");
                return false;
            }
            _end += read;
        }
        return true;
    }

    private async ValueTask SkipAsync(long count, CancellationToken ct)
    {
        while (count > 0)
        {
            if (_end == _start)
            {
                _start = _end = 0;
                var read = await stream.ReadAsync(_buffer, ct);
                if (read == 0)
                    throw new EndOfStreamException("the stream ended inside an oversize frame");
                _end = read;
            }
            var step = (int)Math.Min(count, _end - _start);
            _start += step;
            count -= step;
        }
    }
}
