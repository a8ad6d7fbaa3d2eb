namespace AgentCluster.ComputerProtocol;

/// <summary>What a frame's payload is.</summary>
public enum FrameType : byte
{
    /// <summary>Silo to server: a <see cref="ComputerRequest"/> as JSON.</summary>
    Request = 1,

    /// <summary>Server to silo: a <see cref="ComputerResult"/> as JSON.</summary>
    Result = 2,

    /// <summary>Server to silo: a screenshot, PNG bytes.</summary>
    Image = 3,

    /// <summary>Server to silo: a <see cref="ComputerError"/> as JSON.</summary>
    Error = 4,
}

/// <summary>
/// One message of the computer protocol: <c>"ACP1"</c>, payload length and request id (both
/// unsigned 32-bit big-endian), type (one byte), payload. Every reply carries the id of its
/// request, so requests can be in flight concurrently over one byte stream.
/// </summary>
public sealed record Frame(uint Id, FrameType Type, byte[] Payload)
{
    public const int HeaderSize = 13;

    /// <summary>
    /// Precedes every frame. A reader that is out of step (a writer that died mid-frame) skips to
    /// the next one; zeros never match it, which is how a reconnecting writer flushes a torn frame.
    /// </summary>
    public static ReadOnlySpan<byte> Magic => "ACP1"u8;

    /// <summary>The largest request the server reads: typed text and URLs are bounded by it.</summary>
    public const int MaxRequestPayload = 64 * 1024;

    /// <summary>The largest reply the silo reads: an uncompressible 1280x800 screenshot fits four times over.</summary>
    public const int MaxReplyPayload = 16 * 1024 * 1024;
}

/// <summary>A frame whose header announced more than the reader accepts; its payload was skipped.</summary>
public sealed class OversizeFrameException(uint id, long length, int limit)
    : Exception($"frame {id} of {length} bytes exceeds the limit of {limit} bytes")
{
    public uint Id { get; } = id;
}
