using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;

namespace AgentCluster.ComputerServer.Display;

/// <summary>
/// The screen as Xvfb keeps it with <c>-fbdir</c>: an XWD file it maps shared and draws into,
/// so mapping it too reads the live screen with no X request and no copy in the X server.
/// Only the 24/32-bit true-colour layout Xvfb uses for depth 24 is read.
/// </summary>
internal sealed unsafe class XwdFramebuffer : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _base;

    private XwdFramebuffer(MemoryMappedFile file, MemoryMappedViewAccessor view, XwdLayout layout)
    {
        _file = file;
        _view = view;
        Layout = layout;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _base = pointer + view.PointerOffset;
    }

    public XwdLayout Layout { get; }

    public static XwdFramebuffer Open(string path)
    {
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        try
        {
            var header = new byte[XwdLayout.FixedHeaderSize];
            view.ReadArray(0, header, 0, header.Length);
            var layout = XwdLayout.Parse(header);
            if (view.Capacity < layout.DataOffset + ((long)layout.BytesPerLine * layout.Height))
                throw new InvalidDataException($"{path} is shorter than its header says");
            return new XwdFramebuffer(file, view, layout);
        }
        catch
        {
            view.Dispose();
            file.Dispose();
            throw;
        }
    }

    /// <summary>One row of pixels, 4 bytes each, blue green red unused.</summary>
    public ReadOnlySpan<byte> Row(int y) =>
        new(_base + Layout.DataOffset + ((long)y * Layout.BytesPerLine), Layout.Width * 4);

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}

/// <summary>The parts of an XWD header (big-endian 32-bit fields) that locate the pixels.</summary>
internal sealed record XwdLayout(int Width, int Height, int BytesPerLine, int DataOffset)
{
    public const int FixedHeaderSize = 100;

    public static XwdLayout Parse(ReadOnlySpan<byte> header)
    {
        var fields = new uint[20];
        for (var i = 0; i < fields.Length; i++)
            fields[i] = BinaryPrimitives.ReadUInt32BigEndian(header[(i * 4)..]);
        uint Field(int index) => fields[index];
        var headerSize = Field(0);
        var (version, format, depth, width, height) = (Field(1), Field(2), Field(3), Field(4), Field(5));
        var (byteOrder, bitsPerPixel, bytesPerLine) = (Field(7), Field(11), Field(12));
        var (red, green, blue, colours) = (Field(14), Field(15), Field(16), Field(19));
        // ZPixmap, LSBFirst, 32 bits a pixel, red in the third byte: what Xvfb writes for depth 24.
        if (version != 7 || format != 2 || depth != 24 || byteOrder != 0 || bitsPerPixel != 32
            || red != 0xff0000 || green != 0xff00 || blue != 0xff)
            throw new InvalidDataException(
                $"unsupported XWD layout (version {version}, format {format}, depth {depth}, byte order {byteOrder}, {bitsPerPixel} bpp, masks {red:x}/{green:x}/{blue:x})");
        if (width is 0 or > 16384 || height is 0 or > 16384 || bytesPerLine < width * 4)
            throw new InvalidDataException($"implausible XWD size {width}x{height}, {bytesPerLine} bytes a line");
        // Each colour map entry is 12 bytes (pixel, r, g, b, flags, pad).
        return new XwdLayout((int)width, (int)height, (int)bytesPerLine, checked((int)(headerSize + (colours * 12))));
    }
}
