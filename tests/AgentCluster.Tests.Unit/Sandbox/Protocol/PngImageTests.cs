using System.IO.Compression;
using AgentCluster.ComputerProtocol;

namespace AgentCluster.Tests.Unit.SandboxServer.Protocol;

public sealed class PngImageTests
{
    private static byte[] Gradient(int width, int height) => PngImage.Encode(width, height, (y, rgb) =>
    {
        for (var x = 0; x < width; x++)
        {
            rgb[x * 3] = (byte)x;
            rgb[(x * 3) + 1] = (byte)y;
            rgb[(x * 3) + 2] = (byte)(x ^ y);
        }
    });

    [Fact]
    public void What_is_encoded_decodes_to_the_same_pixels()
    {
        var image = PngImage.Decode(Gradient(300, 200));
        Assert.Equal((300, 200), (image.Width, image.Height));
        Assert.Equal(((byte)0, (byte)0, (byte)0), image.Pixel(0, 0));
        Assert.Equal(((byte)17, (byte)199, (byte)(17 ^ 199)), image.Pixel(17, 199));
        Assert.Equal(((byte)(299 & 0xff), (byte)5, (byte)((299 ^ 5) & 0xff)), image.Pixel(299, 5));
    }

    [Fact]
    public void It_is_a_png_file_with_ihdr_idat_and_iend_for_8_bit_rgb()
    {
        var png = Gradient(4, 3);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal("IHDR"u8.ToArray(), png[12..16]);
        Assert.Equal(new byte[] { 0, 0, 0, 4, 0, 0, 0, 3, 8, 2, 0, 0, 0 }, png[16..29]);
        Assert.Equal("IDAT"u8.ToArray(), png[37..41]);
        Assert.Equal("IEND"u8.ToArray(), png[^8..^4]);
    }

    [Fact]
    public void The_image_data_is_zlib_of_sub_filtered_rows()
    {
        var png = PngImage.Encode(2, 1, (_, rgb) => new byte[] { 10, 20, 30, 15, 20, 25 }.CopyTo(rgb));
        var length = (png[33] << 24) | (png[34] << 16) | (png[35] << 8) | png[36];
        using var zlib = new ZLibStream(new MemoryStream(png, 41, length), CompressionMode.Decompress);
        var raw = new byte[7];
        zlib.ReadExactly(raw);
        // Filter 1 (Sub): the first pixel as is, then each byte minus the one a pixel before it.
        Assert.Equal(new byte[] { 1, 10, 20, 30, 5, 0, unchecked((byte)-5) }, raw);
    }

    [Fact]
    public void A_flat_screen_compresses_to_a_small_file()
    {
        var png = PngImage.Encode(1280, 800, (_, rgb) => rgb.Fill(200));
        // 3 MB of pixels; the fastest zlib level stops at about 100:1.
        Assert.InRange(png.Length, 100, 50_000);
    }

    [Fact]
    public void A_corrupted_chunk_is_refused()
    {
        var png = Gradient(8, 8);
        png[20] ^= 1;
        Assert.Contains("bad CRC", Assert.Throws<InvalidDataException>(() => PngImage.Decode(png)).Message);
        Assert.Throws<InvalidDataException>(() => PngImage.Decode("not a png"u8));
    }
}
