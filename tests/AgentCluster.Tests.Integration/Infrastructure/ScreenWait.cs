using AgentCluster.ComputerProtocol;
using AgentCluster.Tests.Integration.Grains.Computer;

namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>Waits on a desktop's screen, whichever way its screenshots come (the channel or the gRPC API).</summary>
public static class ScreenWait
{
    /// <summary>
    /// Waits until the screen shows <paramref name="colour"/> at a point, then until it holds still;
    /// returns that screenshot. If it never shows the colour, the error says what was there instead and
    /// the last screen is kept in TestResults/failure-screens.
    /// </summary>
    public static async Task<PngImage> ForColour(Func<Task<byte[]>> screenshot, int x, int y, (byte R, byte G, byte B) colour, string what)
    {
        PngImage? shot = null;
        byte[] png = [];
        try
        {
            await Eventually.True(async () =>
            {
                png = await screenshot();
                return DesktopContainer.Near((shot = PngImage.Decode(png)).Pixel(x, y), colour);
            }, what, TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            var kept = FailureScreens.Keep(what, png);
            throw new TimeoutException($"timed out waiting for {what}: {x},{y} shows {shot?.Pixel(x, y)}, not {colour} (the screen: {kept})");
        }
        return await Settled(screenshot, png) is { } still && DesktopContainer.Near(still.Pixel(x, y), colour) ? still : shot!;
    }

    /// <summary>
    /// The screen once two pictures in a row are the same: just after a navigate, the address bar's
    /// dropdown can still be closing over the top of a page that is already drawn, and a click there
    /// lands on the dropdown. A page that never holds still gives null after a few seconds.
    /// </summary>
    private static async Task<PngImage?> Settled(Func<Task<byte[]>> screenshot, byte[] previous)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        while (DateTime.UtcNow < until)
        {
            await Task.Delay(50);
            var next = await screenshot();
            if (next.AsSpan().SequenceEqual(previous))
                return PngImage.Decode(next);
            previous = next;
        }
        return null;
    }
}
