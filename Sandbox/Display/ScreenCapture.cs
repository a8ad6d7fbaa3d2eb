using AgentCluster.ComputerProtocol;

namespace AgentCluster.ComputerServer.Display;

/// <summary>Screenshots straight from the framebuffer: a region of it, shrunk by a box filter, as PNG.</summary>
internal sealed class ScreenCapture(XwdFramebuffer framebuffer)
{
    public int Width => framebuffer.Layout.Width;
    public int Height => framebuffer.Layout.Height;

    /// <summary>Null region: the whole screen. Scale in (0, 1]; the caller has checked both.</summary>
    public byte[] Png(ScreenRegion? region, double scale)
    {
        var r = region ?? new ScreenRegion(0, 0, Width, Height);
        var outWidth = Math.Max(1, (int)Math.Round(r.Width * scale));
        var outHeight = Math.Max(1, (int)Math.Round(r.Height * scale));
        if (outWidth == r.Width && outHeight == r.Height)
            return PngImage.Encode(outWidth, outHeight, (y, rgb) => Copy(framebuffer.Row(r.Y + y).Slice(r.X * 4, r.Width * 4), rgb));

        // Output column x averages source columns [edges[x], edges[x + 1]).
        var edges = Edges(r.X, r.Width, outWidth);
        var sums = new int[outWidth * 3];
        return PngImage.Encode(outWidth, outHeight, (y, rgb) =>
        {
            var top = r.Y + (y * r.Height / outHeight);
            var bottom = r.Y + ((y + 1) * r.Height / outHeight);
            Array.Clear(sums);
            for (var sy = top; sy < bottom; sy++)
            {
                var row = framebuffer.Row(sy);
                for (var x = 0; x < outWidth; x++)
                {
                    for (var sx = edges[x]; sx < edges[x + 1]; sx++)
                    {
                        sums[(x * 3) + 0] += row[(sx * 4) + 2];
                        sums[(x * 3) + 1] += row[(sx * 4) + 1];
                        sums[(x * 3) + 2] += row[sx * 4];
                    }
                }
            }
            for (var x = 0; x < outWidth; x++)
            {
                var count = (edges[x + 1] - edges[x]) * (bottom - top);
                for (var c = 0; c < 3; c++)
                    rgb[(x * 3) + c] = (byte)(sums[(x * 3) + c] / count);
            }
        });
    }

    /// <summary>One pixel as red, green, blue.</summary>
    public (byte R, byte G, byte B) Pixel(int x, int y)
    {
        var bgrx = framebuffer.Row(y).Slice(x * 4, 4);
        return (bgrx[2], bgrx[1], bgrx[0]);
    }

    /// <summary>Blue green red unused, 4 bytes a pixel, to red green blue, 3.</summary>
    private static void Copy(ReadOnlySpan<byte> bgrx, Span<byte> rgb)
    {
        for (int s = 0, d = 0; d < rgb.Length; s += 4, d += 3)
        {
            rgb[d] = bgrx[s + 2];
            rgb[d + 1] = bgrx[s + 1];
            rgb[d + 2] = bgrx[s];
        }
    }

    private static int[] Edges(int start, int length, int parts)
    {
        var edges = new int[parts + 1];
        for (var i = 0; i <= parts; i++)
            edges[i] = start + (i * length / parts);
        return edges;
    }
}
