using System.Runtime.InteropServices;
using Docker.DotNet;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet;

/// <summary>
/// A container's attached standard streams as one duplex stream: reading gives its stdout,
/// writing feeds its stdin. Its stderr (diagnostics) goes to the debug log, a line at a time and
/// cut short, never into what is read.
/// </summary>
internal sealed class AttachedStream(MultiplexedStream inner, ILogger logger, string containerId) : Stream
{
    private const int MaxLoggedLine = 300;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Straight into the caller's array when it has one: screenshots are tens of KB a read.
        var target = MemoryMarshal.TryGetArray<byte>(buffer, out var segment) ? segment : new ArraySegment<byte>(new byte[buffer.Length]);
        while (true)
        {
            var result = await inner.ReadOutputAsync(target.Array!, target.Offset, target.Count, cancellationToken);
            if (result.EOF)
                return 0;
            if (result.Target == MultiplexedStream.TargetStream.StandardOut)
            {
                if (target.Array != segment.Array)
                    target.AsMemory(0, result.Count).CopyTo(buffer);
                return result.Count;
            }
            if (logger.IsEnabled(LogLevel.Debug))
                LogStandardError(target.AsSpan(0, result.Count));
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(MemoryMarshal.TryGetArray(buffer, out var segment)
            ? inner.WriteAsync(segment.Array!, segment.Offset, segment.Count, cancellationToken)
            : inner.WriteAsync(buffer.ToArray(), 0, buffer.Length, cancellationToken));

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }

    private void LogStandardError(ReadOnlySpan<byte> bytes)
    {
        foreach (var line in System.Text.Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            logger.LogDebug("container {Container} stderr: {Line}", containerId, line.Length > MaxLoggedLine ? line[..MaxLoggedLine] + "…" : line);
    }
}
