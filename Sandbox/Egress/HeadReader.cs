namespace AgentCluster.ComputerServer.Egress;

/// <summary>Reads up to the blank line that ends an HTTP head, keeping whatever came after it.</summary>
internal static class HeadReader
{
    /// <summary>The head (with its CRLF CRLF) and the bytes read past it; a null head if the stream ended or the head is too long.</summary>
    public static async Task<(byte[]? Head, byte[] After)> ReadAsync(Stream stream, int maxBytes, CancellationToken ct)
    {
        var buffer = new byte[maxBytes];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), ct);
            if (read == 0)
                return (null, []);
            var searchFrom = Math.Max(0, filled - 3);
            filled += read;
            var end = buffer.AsSpan(searchFrom, filled - searchFrom).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                end += searchFrom + 4;
                return (buffer[..end], buffer[end..filled]);
            }
        }
        return (null, []);
    }
}
