using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;

namespace AgentCluster.ComputerProtocol;

public sealed partial record PngImage
{
    /// <summary>
    /// Reads an 8-bit RGB, non-interlaced PNG (any filter, any number of IDAT chunks), checking
    /// every chunk's CRC. Anything else is an <see cref="InvalidDataException"/>.
    /// </summary>
    public static PngImage Decode(ReadOnlySpan<byte> png)
    {
        if (!png.StartsWith(Signature))
            throw new InvalidDataException("not a PNG: the signature is missing");
        int width = 0, height = 0;
        using var compressed = new MemoryStream();
        var at = Signature.Length;
        while (true)
        {
            if (at + 12 > png.Length)
                throw new InvalidDataException("the PNG ends before IEND");
            var length = BinaryPrimitives.ReadInt32BigEndian(png[at..]);
            if (length < 0 || at + 12 + length > png.Length)
                throw new InvalidDataException($"chunk at {at} runs past the end");
            var typeAndData = png.Slice(at + 4, length + 4);
            if (BinaryPrimitives.ReadUInt32BigEndian(png[(at + 8 + length)..]) != Crc32.HashToUInt32(typeAndData))
                throw new InvalidDataException($"chunk at {at} has a bad CRC");
            var type = typeAndData[..4];
            var data = typeAndData[4..];
            at += 12 + length;
            if (type.SequenceEqual("IHDR"u8))
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                if (data[8] != 8 || data[9] != 2 || data[12] != 0)
                    throw new InvalidDataException($"only 8-bit RGB without interlace is read (depth {data[8]}, colour type {data[9]}, interlace {data[12]})");
            }
            else if (type.SequenceEqual("IDAT"u8))
                compressed.Write(data);
            else if (type.SequenceEqual("IEND"u8))
                break;
        }
        if (width <= 0 || height <= 0)
            throw new InvalidDataException("the PNG has no IHDR");
        compressed.Position = 0;
        return new PngImage(width, height, Unfilter(compressed, width, height));
    }

    private static byte[] Unfilter(Stream compressed, int width, int height)
    {
        var stride = width * 3;
        var rgb = new byte[stride * height];
        var previous = new byte[stride];
        var line = new byte[stride + 1];
        using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
        for (var y = 0; y < height; y++)
        {
            zlib.ReadExactly(line);
            var row = rgb.AsSpan(y * stride, stride);
            for (var i = 0; i < stride; i++)
            {
                int a = i >= 3 ? row[i - 3] : 0, b = previous[i], c = i >= 3 ? previous[i - 3] : 0;
                row[i] = (byte)(line[i + 1] + line[0] switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"row {y} has unknown filter {line[0]}"),
                });
            }
            row.CopyTo(previous);
        }
        return rgb;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
