using System.Buffers.Binary;
using AgentCluster.ComputerServer.Display;

namespace AgentCluster.Tests.Unit.SandboxServer.Display;

public sealed class XwdLayoutTests
{
    /// <summary>The header Xvfb writes for a 1280x800 depth-24 screen (name "Xvfb main window", 256 colours).</summary>
    private static byte[] Header(uint depth = 24, uint byteOrder = 0)
    {
        var header = new byte[XwdLayout.FixedHeaderSize];
        uint[] fields = [117, 7, 2, depth, 1280, 800, 0, byteOrder, 32, 0, 32, 32, 5120, 4, 0xff0000, 0xff00, 0xff, 8, 256, 256];
        for (var i = 0; i < fields.Length; i++)
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(i * 4), fields[i]);
        return header;
    }

    [Fact]
    public void The_pixels_start_after_the_header_and_the_colour_map()
    {
        var layout = XwdLayout.Parse(Header());
        Assert.Equal(new XwdLayout(1280, 800, 5120, 117 + (256 * 12)), layout);
    }

    [Fact]
    public void Another_layout_is_refused_rather_than_misread()
    {
        Assert.Throws<InvalidDataException>(() => XwdLayout.Parse(Header(depth: 16)));
        Assert.Throws<InvalidDataException>(() => XwdLayout.Parse(Header(byteOrder: 1)));
    }
}
