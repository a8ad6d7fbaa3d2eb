using System.Buffers;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace AgentCluster.Proxy.Credentials;

/// <summary>
/// Puts the stub back wherever a swapped request's response shows the real credential: in every
/// response header, and in a text body's first <c>cap</c> bytes (Latin-1, so every other byte is
/// kept as it was). Larger or binary bodies pass as they are; the request asked for no compression.
/// </summary>
public static class SecretStrip
{
    public static async Task StripBody(HttpResponseMessage response, SwapPlan plan, int cap, CancellationToken ct)
    {
        var content = response.Content;
        if (!IsText(content.Headers.ContentType?.MediaType) || content.Headers.ContentLength > cap
            || content.Headers.ContentEncoding.Count > 0)
            return;
        var body = await content.ReadAsStreamAsync(ct);
        var (stripped, length) = await ReadStripped(body, plan, cap, content.Headers.ContentLength, ct);
        HttpContent replaced = length <= cap
            ? new ByteArrayContent(stripped)
            : new StreamContent(new PrefixedStream(stripped, body));
        foreach (var (name, values) in content.Headers)
        {
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                replaced.Headers.TryAddWithoutValidation(name, values);
        }
        response.Content = replaced;
    }

    /// <summary>
    /// Reads up to <paramref name="cap"/> + 1 bytes (one more tells a body over the cap) into a
    /// pooled buffer sized by the body's length, not by the cap: a small response must not cost a
    /// large-object allocation.
    /// </summary>
    private static async Task<(byte[] Stripped, int Length)> ReadStripped(Stream body, SwapPlan plan, int cap, long? declared, CancellationToken ct)
    {
        var limit = cap + 1;
        var buffer = ArrayPool<byte>.Shared.Rent(declared is { } known ? (int)Math.Min(known + 1, limit) : Math.Min(16 * 1024, limit));
        var length = 0;
        try
        {
            while (length < limit)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(2L * buffer.Length, limit));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await body.ReadAsync(buffer.AsMemory(length, Math.Min(buffer.Length, limit) - length), ct);
                if (read == 0)
                    break;
                length += read;
            }
            return (Encoding.Latin1.GetBytes(plan.Strip(Encoding.Latin1.GetString(buffer, 0, length))), length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static void StripHeaders(IHeaderDictionary headers, SwapPlan plan)
    {
        // Nearly every response reveals nothing: look first, and copy only when something must change.
        List<string>? revealing = null;
        foreach (var (name, values) in headers)
        {
            if (Reveals(values, plan))
                (revealing ??= []).Add(name);
        }
        foreach (var name in revealing ?? [])
            headers[name] = new([.. headers[name].Select(v => v is null ? v : plan.Strip(v))]);
    }

    private static bool Reveals(StringValues values, SwapPlan plan)
    {
        foreach (var value in values)
        {
            if (value is not null && plan.Reveals(value))
                return true;
        }
        return false;
    }

    private static bool IsText(string? mediaType) =>
        mediaType is not null && (mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("xml", StringComparison.OrdinalIgnoreCase)
            || mediaType.Contains("javascript", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase));

    /// <summary>The stripped prefix, then the rest of the upstream's body unread.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream rest) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position >= prefix.Length)
                return await rest.ReadAsync(buffer, cancellationToken);
            var n = Math.Min(buffer.Length, prefix.Length - _position);
            prefix.AsMemory(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                rest.Dispose();
            base.Dispose(disposing);
        }
    }
}
