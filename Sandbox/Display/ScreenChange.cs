using System.Diagnostics;
using AgentCluster.ComputerProtocol;

namespace AgentCluster.ComputerServer.Display;

/// <summary>
/// A screenshot that waits for the picture to change from one the caller has (its <see cref="ScreenTag"/>):
/// a client that polls sees a change a poll late, and each poll is a round trip through the silo. The
/// region's pixels are compared in the mapped framebuffer, and only encoded once they differ; how
/// often is paced by what one comparison costs (at most a twentieth of the time), so a small
/// region's change is seen within milliseconds and a whole screen's wait takes little CPU.
/// </summary>
internal sealed class ScreenChange(XwdFramebuffer framebuffer, ScreenCapture screen)
{
    /// <summary>Waits at once, per server: each holds one of its requests in flight.</summary>
    public const int MaxWaiting = 4;

    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(2), MaxInterval = TimeSpan.FromMilliseconds(50);
    private const int CostShare = 20;

    private readonly SemaphoreSlim _waiting = new(MaxWaiting, MaxWaiting);

    /// <summary>The first PNG of <paramref name="region"/> at <paramref name="scale"/> whose tag is not <paramref name="changedFrom"/>, or the one at the end of <paramref name="wait"/>.</summary>
    public async Task<byte[]> WaitAsync(ScreenRegion? region, double scale, string changedFrom, TimeSpan wait, CancellationToken ct)
    {
        if (!_waiting.Wait(0, CancellationToken.None))
            throw new ArgumentException($"{MaxWaiting} screenshots already wait for a change on this computer");
        try
        {
            var r = region ?? new ScreenRegion(0, 0, screen.Width, screen.Height);
            var until = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
            // Copied before the picture is encoded: a change in between shows in the picture, not lost in the copy.
            var before = Copy(r);
            var png = screen.Png(region, scale);
            var interval = MinInterval;
            while (ScreenTag.Of(png) == changedFrom)
            {
                var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), until);
                if (left <= TimeSpan.Zero)
                    return png;
                await Task.Delay(left < interval ? left : interval, ct);
                var started = Stopwatch.GetTimestamp();
                var same = Same(r, before);
                interval = Pace(Stopwatch.GetElapsedTime(started));
                if (same)
                    continue;
                // Pixels that differ can still shrink to the same picture: then it waits on from these.
                before = Copy(r);
                png = screen.Png(region, scale);
            }
            return png;
        }
        finally
        {
            _waiting.Release();
        }
    }

    private static TimeSpan Pace(TimeSpan cost)
    {
        var paced = cost * CostShare;
        return paced < MinInterval ? MinInterval : paced > MaxInterval ? MaxInterval : paced;
    }

    private byte[] Copy(ScreenRegion r)
    {
        var row = r.Width * 4;
        var copy = new byte[row * r.Height];
        for (var y = 0; y < r.Height; y++)
            framebuffer.Row(r.Y + y).Slice(r.X * 4, row).CopyTo(copy.AsSpan(y * row));
        return copy;
    }

    private bool Same(ScreenRegion r, byte[] before)
    {
        var row = r.Width * 4;
        for (var y = 0; y < r.Height; y++)
        {
            if (!framebuffer.Row(r.Y + y).Slice(r.X * 4, row).SequenceEqual(before.AsSpan(y * row, row)))
                return false;
        }
        return true;
    }
}
