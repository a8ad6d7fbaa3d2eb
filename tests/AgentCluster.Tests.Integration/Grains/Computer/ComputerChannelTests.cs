using AgentCluster.ComputerProtocol;
using AgentCluster.Grains.Computer;
using static AgentCluster.Tests.Integration.Grains.Computer.DesktopContainer;

namespace AgentCluster.Tests.Integration.Grains.Computer;

/// <summary>The computer server in a real desktop sandbox, driven through the silo's channel (engine attach).</summary>
public sealed class ComputerChannelTests(DesktopContainer desktop) : IClassFixture<DesktopContainer>
{
    private static readonly (byte, byte, byte) Green = (0, 200, 0), Red = (220, 0, 0), Blue = (0, 0, 255);

    [Fact]
    public async Task A_screenshot_is_a_1280x800_png_that_shows_the_page()
    {
        await desktop.Open("<body style=\"margin:0;background:rgb(0,200,0)\"><div style=\"position:absolute;left:0;top:200px;width:400px;height:200px;background:rgb(220,0,0)\"></div></body>");
        await desktop.WaitForColour(1000, 600, Green, "the green page");
        // The address bar's suggestions may still hang over the page's top for a frame after Return.
        var shot = await desktop.WaitForColour(Width / 2, 210, Green, "the page's top with nothing over it");

        Assert.Equal((Width, Height), (shot.Width, shot.Height));
        var top = PageTop(shot, Green);
        Assert.InRange(top, 1, 200);
        Assert.True(Near(shot.Pixel(200, top + 300), Red), "the red block is where the page puts it");
        Assert.True(Near(shot.Pixel(200, top + 100), Green), "above the block is the page's green");
        Assert.True(Near(shot.Pixel(600, top + 300), Green), "right of the block is the page's green");

        var half = await desktop.Screenshot(scale: 0.5);
        Assert.Equal((Width / 2, Height / 2), (half.Width, half.Height));
        Assert.True(Near(half.Pixel(100, (top + 300) / 2), Red), "the half-size screenshot shows the block at half the place");

        var region = await desktop.Screenshot(region: new ScreenRegion(10, top + 210, 380, 180));
        Assert.Equal((380, 180), (region.Width, region.Height));
        Assert.All(new[] { (0, 0), (379, 0), (0, 179), (379, 179) }, p => Assert.True(Near(region.Pixel(p.Item1, p.Item2), Red)));
    }

    [Fact]
    public async Task Type_fills_a_field_and_click_presses_a_button()
    {
        // Blue only when the field holds exactly the typed text; any other text turns the page yellow.
        await desktop.Open("<body style=\"margin:0;background:rgb(220,0,0)\">"
            + "<input id=i style=\"position:absolute;left:100px;top:100px;width:300px;height:40px\">"
            + "<button style=\"position:absolute;left:100px;top:200px;width:200px;height:60px\" onclick=\"document.body.style.background="
            + "document.getElementById('i').value==='Hello, World! <42>'?'rgb(0,0,255)':'rgb(255,255,0)'\">Buy</button></body>");
        var top = PageTop(await desktop.WaitForColour(1000, 600, Red, "the red form page"), Red);

        await desktop.Send(new ComputerRequest { Action = ComputerActions.Click, X = 250, Y = top + 120 });
        await desktop.Send(new ComputerRequest { Action = ComputerActions.Type, Text = "Hello, World! <42>" });
        await desktop.Send(new ComputerRequest { Action = ComputerActions.Click, X = 200, Y = top + 230, Button = "left" });

        await desktop.WaitForColour(1000, 600, Blue, "the page to turn blue after the click on Buy");
    }

    [Fact]
    public async Task Cursor_position_is_where_mouse_move_left_it()
    {
        var moved = await desktop.Send(new ComputerRequest { Action = ComputerActions.MouseMove, X = 321, Y = 234 });
        var position = await desktop.Send(new ComputerRequest { Action = ComputerActions.CursorPosition });
        Assert.Equal((321, 234), (moved.Result!.X, moved.Result.Y));
        Assert.Equal((321, 234), (position.Result!.X, position.Result.Y));
    }

    [Fact]
    public async Task Bad_arguments_are_refused_with_a_reason()
    {
        var off = await Assert.ThrowsAsync<ComputerActionException>(() => desktop.Send(new ComputerRequest { Action = ComputerActions.Click, X = 5000, Y = 10 }));
        Assert.Equal((ComputerErrorCodes.BadRequest, "x 5000 is off the screen (0-1279)"), (off.Code, off.Message));
        var unknown = await Assert.ThrowsAsync<ComputerActionException>(() => desktop.Send(new ComputerRequest { Action = "format_disk" }));
        Assert.Equal(ComputerErrorCodes.BadRequest, unknown.Code);
        var key = await Assert.ThrowsAsync<ComputerActionException>(() => desktop.Send(new ComputerRequest { Action = ComputerActions.Key, Keys = "ctrl+nosuchkey" }));
        Assert.Contains("unknown key 'nosuchkey'", key.Message);
    }

    [Fact]
    public async Task A_request_over_the_bound_is_refused_before_it_is_sent()
    {
        var e = await Assert.ThrowsAsync<ComputerActionException>(() => desktop.Send(new ComputerRequest { Action = ComputerActions.Type, Text = new string('a', Frame.MaxRequestPayload) }));
        Assert.Equal(ComputerErrorCodes.Oversize, e.Code);
        Assert.NotNull(await desktop.Send(new ComputerRequest { Action = ComputerActions.Ping }));
    }
}
