using System.Buffers.Binary;
using AgentCluster.ComputerProtocol;
using AgentCluster.ComputerServer.Display;

namespace AgentCluster.Tests.Unit.SandboxServer.Display;

/// <summary>
/// The server's wait for a change, on a real XWD file mapped as Xvfb's is, whose pixels the test
/// writes through the file as Xvfb draws through its own mapping.
/// </summary>
public sealed class ScreenChangeTests : IDisposable
{
    private const int Width = 64, Height = 32, DataOffset = 100;
    private static readonly ScreenRegion Corner = new(0, 0, 8, 8);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"screen-change-{Guid.NewGuid():N}.xwd");
    private readonly XwdFramebuffer _framebuffer;
    private readonly ScreenCapture _screen;
    private readonly ScreenChange _change;

    public ScreenChangeTests()
    {
        var file = new byte[DataOffset + (Width * Height * 4)];
        uint[] fields = [100, 7, 2, 24, Width, Height, 0, 0, 32, 0, 32, 32, Width * 4, 4, 0xff0000, 0xff00, 0xff, 8, 0, 0];
        for (var i = 0; i < fields.Length; i++)
            BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(i * 4), fields[i]);
        File.WriteAllBytes(_path, file);
        _framebuffer = XwdFramebuffer.Open(_path);
        _screen = new ScreenCapture(_framebuffer);
        _change = new ScreenChange(_framebuffer, _screen);
    }

    public void Dispose()
    {
        _framebuffer.Dispose();
        File.Delete(_path);
    }

    [Fact]
    public async Task A_picture_that_differs_already_is_answered_at_once()
    {
        var before = _screen.Png(Corner, 1);
        Paint(2, 2, 255);

        var after = await _change.WaitAsync(Corner, 1, ScreenTag.Of(before), Long, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.NotEqual(ScreenTag.Of(before), ScreenTag.Of(after));
        Assert.Equal((255, 0, 0), PngImage.Decode(after).Pixel(2, 2));
    }

    [Fact]
    public async Task The_wait_ends_with_the_first_change_inside_the_region_and_shows_it()
    {
        var before = _screen.Png(Corner, 1);
        var waiting = _change.WaitAsync(Corner, 1, ScreenTag.Of(before), Long, CancellationToken.None);
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted, "answered before anything changed");

        Paint(Width - 1, Height - 1, 255);
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted, "a change outside the region ended the wait");

        Paint(7, 7, 200);
        var after = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal((200, 0, 0), PngImage.Decode(after).Pixel(7, 7));
    }

    [Fact]
    public async Task Nothing_changed_is_the_same_picture_once_the_wait_is_over()
    {
        var before = _screen.Png(null, 0.5);

        var after = await _change.WaitAsync(null, 0.5, ScreenTag.Of(before), TimeSpan.FromMilliseconds(150), CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(ScreenTag.Of(before), ScreenTag.Of(after));
    }

    [Fact]
    public async Task A_change_the_shrunk_picture_does_not_show_does_not_end_the_wait()
    {
        // A 64x32 screen shrunk to 1x1: one pixel's red of 1 is lost in the average of 2048.
        var before = _screen.Png(null, 1.0 / 64);
        var waiting = _change.WaitAsync(null, 1.0 / 64, ScreenTag.Of(before), Long, CancellationToken.None);
        Paint(0, 0, 1);
        await Task.Delay(150);
        Assert.False(waiting.IsCompleted, "answered with a picture equal to the caller's");

        for (var x = 0; x < Width; x++)
            Paint(x, 0, 255);
        var after = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.NotEqual(ScreenTag.Of(before), ScreenTag.Of(after));
    }

    [Fact]
    public async Task Only_so_many_wait_at_once_and_a_cancelled_wait_frees_its_place()
    {
        var tag = ScreenTag.Of(_screen.Png(Corner, 1));
        using var cancel = new CancellationTokenSource();
        var waits = Enumerable.Range(0, ScreenChange.MaxWaiting).Select(_ => _change.WaitAsync(Corner, 1, tag, Long, cancel.Token)).ToList();

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => _change.WaitAsync(Corner, 1, tag, Long, CancellationToken.None));
        Assert.Contains("already wait", refused.Message, StringComparison.Ordinal);

        await cancel.CancelAsync();
        foreach (var wait in waits)
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        var again = await _change.WaitAsync(Corner, 1, tag, TimeSpan.FromMilliseconds(10), CancellationToken.None);
        Assert.Equal(tag, ScreenTag.Of(again));
    }

    /// <summary>Red <paramref name="red"/> at (x, y): blue green red unused, as Xvfb keeps it.</summary>
    private void Paint(int x, int y, byte red)
    {
        using var file = new FileStream(_path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        file.Position = DataOffset + (((y * Width) + x) * 4);
        file.Write([0, 0, red, 0]);
    }
}
