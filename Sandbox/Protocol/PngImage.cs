using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace AgentCluster.ComputerProtocol;

/// <summary>
/// The screenshot format: 8-bit RGB PNG, one IDAT chunk, every row with the Sub filter (flat
/// screen areas become runs of zeros, which the fastest zlib level packs well).
/// <see cref="Decode"/> reads what <see cref="Encode"/> writes, for pixel checks.
/// </summary>
public sealed partial record PngImage(int Width, int Height, byte[] Rgb)
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0d, 0x0a, 0x1a, 0x0a];

    /// <summary>Fills one row of RGB bytes (3 × width) for row y.</summary>
    public delegate void RowSource(int y, Span<byte> rgb);

    public (byte R, byte G, byte B) Pixel(int x, int y)
    {
        var i = ((y * Width) + x) * 3;
        return (Rgb[i], Rgb[i + 1], Rgb[i + 2]);
    }

    public static byte[] Encode(int width, int height, RowSource rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        using var output = new MemoryStream((width * height) / 4);
        output.Write(Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8;  // bits per channel
        ihdr[9] = 2;  // RGB
        WriteChunk(output, "IHDR"u8, ihdr);

        // IDAT's length comes first: leave room, compress, then fill it in.
        var idatStart = output.Position;
        output.Write(stackalloc byte[8]);
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[(width * 3) + 1];
            var filtered = new byte[row.Length];
            filtered[0] = 1; // Sub
            for (var y = 0; y < height; y++)
            {
                rows(y, row.AsSpan(1));
                filtered[1] = row[1];
                filtered[2] = row[2];
                filtered[3] = row[3];
                for (var i = 4; i < row.Length; i++)
                    filtered[i] = (byte)(row[i] - row[i - 3]);
                zlib.Write(filtered);
            }
        }
        var idatLength = (int)(output.Position - idatStart - 8);
        var buffer = output.GetBuffer();
        BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan((int)idatStart), idatLength);
        "IDAT"u8.CopyTo(buffer.AsSpan((int)idatStart + 4));
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(buffer.AsSpan((int)idatStart + 4, idatLength + 4)));
        output.Write(crc);
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        output.Write(type);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc.GetCurrentHashAsUInt32());
        output.Write(word);
    }
}
