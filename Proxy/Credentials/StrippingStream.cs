using System.Buffers;

namespace AgentCluster.Proxy.Credentials;

/// <summary>A response body read through a <see cref="RollingStrip"/>: the whole body, as it streams, whatever its type or length.</summary>
public sealed class StrippingStream(Stream inner, RollingStrip strip) : Stream
{
    // Pooled, and small to start: most swapped responses are a few hundred bytes.
    private byte[]? _read;
    private readonly ArrayBufferWriter<byte> _ready = new(512);
    private int _taken;
    private bool _ended;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // A piece may be held back whole (it could be the start of a secret): read on until something may go.
        while (_taken == _ready.WrittenCount)
        {
            if (_ended)
                return 0;
            _ready.ResetWrittenCount();
            _taken = 0;
            _read ??= ArrayPool<byte>.Shared.Rent(16 * 1024);
            var read = await inner.ReadAsync(_read, cancellationToken);
            if (read == 0)
            {
                strip.End(_ready);
                _ended = true;
            }
            else
            {
                strip.Next(_read.AsSpan(0, read), _ready);
            }
        }
        var n = Math.Min(buffer.Length, _ready.WrittenCount - _taken);
        _ready.WrittenSpan.Slice(_taken, n).CopyTo(buffer.Span);
        _taken += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            if (_read is not null)
                ArrayPool<byte>.Shared.Return(_read);
            _read = null;
        }
        base.Dispose(disposing);
    }
}
