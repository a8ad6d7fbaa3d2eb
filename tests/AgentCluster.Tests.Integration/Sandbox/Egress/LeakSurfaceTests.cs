using AgentCluster.Api.V1;
using AgentCluster.ComputerProtocol;
using AgentCluster.Tests.Integration.Infrastructure;
using AgentCluster.Tests.Integration.Silo.Api;
using static AgentCluster.Tests.Integration.Grains.Computer.DesktopContainer;
using static AgentCluster.Tests.Integration.Sandbox.Egress.ShopPages;

namespace AgentCluster.Tests.Integration.Sandbox.Egress;

/// <summary>
/// Issue 14, part 4: what a hostile page (served on loopback, through the proxy) or an agent at the
/// keyboard tries, and what the browser really did, read off its screen.
/// </summary>
[Collection(DesktopEgressCollection.Name)]
public sealed class LeakSurfaceTests(DesktopEgressFixture node)
{
    private ComputerTenant Desk => node.Desk;

    private Task With(Func<string, Task> test) => Desk.With(session => test(session.Id), null, node.ShopHost);

    private Task Act(string session, string action, int? x = null, int? y = null, string text = "", string keys = "", int? ms = null)
    {
        var request = new ActRequest { Session = session, Action = action, Text = text, Keys = keys };
        if (x is { } px && y is { } py)
            (request.X, request.Y) = (px, py);
        if (ms is { } wait)
            request.Milliseconds = wait;
        return Desk.Act(request);
    }

    private async Task<int> Open(string session, string path, (byte, byte, byte) background)
    {
        await Desk.Act(new ActRequest { Session = session, Action = "navigate", Url = node.Url(path) });
        return PageTop(await Desk.WaitForColour(session, 1000, 600, background, $"{path} through the proxy"), background);
    }

    /// <summary>The page's own verdict: it paints itself Pass or Fail once it knows.</summary>
    private async Task Verdict(string session, string what)
    {
        (byte, byte, byte) seen = default;
        await Eventually.True(async () =>
        {
            seen = PngImage.Decode((await Desk.Screenshot(session)).Png.Span).Pixel(1000, 600);
            return Near(seen, Pass) || Near(seen, Fail);
        }, $"{what}: the page's verdict", TimeSpan.FromSeconds(30));
        Assert.True(Near(seen, Pass), $"{what}: the page painted {seen}, not its pass colour");
    }

    [Fact]
    public async Task Notification_and_geolocation_permissions_are_denied_without_asking()
    {
        await With(async session =>
        {
            await Desk.Act(new ActRequest { Session = session, Action = "navigate", Url = node.Url("/leak/permissions") });
            await Verdict(session, "Notification.permission, requestPermission() and the permissions API");
        });
    }

    [Fact]
    public async Task Clipboard_read_is_refused_even_after_a_click()
    {
        await With(async session =>
        {
            var top = await Open(session, "/leak/clipboard", Grey);
            await Act(session, "click", 640, top + 300);
            await Verdict(session, "navigator.clipboard.readText()");
        });
    }

    [Fact]
    public async Task A_file_input_opens_no_dialog()
    {
        await With(async session =>
        {
            var top = await Open(session, "/leak/file", Grey);
            await Act(session, "click", 300, top + 150);
            // The page saw the click (its marker shows), and nothing else came over it: no dialog window.
            // Low in the marker: an infobar may push the page down by tens of pixels.
            var shot = await Desk.WaitForColour(session, 200, top + 390, Cyan, "the file input's click marker");
            await Act(session, "wait", ms: 2000);
            shot = PngImage.Decode((await Desk.Screenshot(session)).Png.Span);
            // Chromium may say so in an infobar across the top of the page (it pushes the page down);
            // a dialog would be a window of its own over the rest of it.
            var covered = Grid(top, below: 100).Where(p => !Near(shot.Pixel(p.X, p.Y), Grey)).ToList();
            Assert.True(covered.Count == 0, $"something covers the page at {string.Join(", ", covered)}");
        });
    }

    [Fact]
    public async Task A_login_is_neither_offered_for_saving_nor_filled_in_again()
    {
        await With(async session =>
        {
            var top = await Open(session, "/leak/login", Teal);
            await Act(session, "click", 300, top + 130);
            await Act(session, "type", text: "alice");
            await Act(session, "click", 300, top + 230);
            await Act(session, "type", text: "correct horse battery");
            await Act(session, "click", 750, top + 180);
            await Eventually.True(() => Task.FromResult(node.Shop.Requests.Any(r => r.RequestLine.StartsWith("GET /leak/welcome?user=alice", StringComparison.Ordinal))),
                "the sign-in at the shop");
            await Act(session, "wait", ms: 2000);
            // A save-password bubble hangs from the toolbar's right end over the page.
            var shot = PngImage.Decode((await Desk.Screenshot(session)).Png.Span);
            var covered = Grid(top).Where(p => !Near(shot.Pixel(p.X, p.Y), Teal)).ToList();
            Assert.True(covered.Count == 0, $"something covers the page after the sign-in at {string.Join(", ", covered)}");

            // Back on the form: nothing filled in (an autofilled field paints itself red), and no suggestion under the name field.
            top = await Open(session, "/leak/login", Teal);
            await Act(session, "click", 300, top + 130);
            await Act(session, "wait", ms: 1500);
            shot = PngImage.Decode((await Desk.Screenshot(session)).Png.Span);
            foreach (var (x, y) in new[] { (120, 130), (480, 130), (120, 230), (480, 230) })
                Assert.True(Near(shot.Pixel(x, top + y), (255, 255, 255)), $"the field at {x},{y} is {shot.Pixel(x, top + y)}, not empty white");
            foreach (var y in new[] { 170, 185, 280 })
                Assert.True(Near(shot.Pixel(300, top + y), Teal), $"a suggestion list covers 300,{y}");
        });
    }

    [Fact]
    public async Task File_urls_typed_into_the_address_bar_are_blocked()
    {
        await With(async session =>
        {
            // The check can see text: a typed page of it, on a colour of its own (so its top is found on its
            // own screen, whatever bar came or went above it), shows dark pixels at its top left.
            await Open(session, "/leak/plain", Orange);
            await Type(session, "data:text/html,<body style=\"margin:0;background:rgb(0,200,200)\"><pre style=\"font-size:40px;margin:0\">root:x:0:0:root</pre>");
            var control = await Desk.WaitForColour(session, 1000, 600, Cyan, "the typed page of text");
            Assert.True(Dark(control, PageTop(control, Cyan)), "the typed page's text is not dark at its top left: the check cannot see text");

            var top = await Open(session, "/leak/plain", Orange);
            await Type(session, "file:///etc/passwd");
            await Eventually.True(async () => !Near(PngImage.Decode((await Desk.Screenshot(session)).Png.Span).Pixel(1000, 600), Orange),
                "the browser to leave the orange page", TimeSpan.FromSeconds(30));
            await Act(session, "wait", ms: 1000);
            Assert.False(Dark(PngImage.Decode((await Desk.Screenshot(session)).Png.Span), top), "/etc/passwd is on the screen");
        });
    }

    /// <summary>Into the address bar as an agent would, with the keyboard: no navigate, so no check of the silo's.</summary>
    private async Task Type(string session, string url)
    {
        await Act(session, "click", 640, Chromium.AddressBarY);
        await Act(session, "key", keys: "ctrl+a");
        await Act(session, "type", text: url);
        await Act(session, "key", keys: "Return");
    }

    /// <summary>Text at the page's top left: pixels far darker than any of the test pages' colours.</summary>
    private static bool Dark(PngImage shot, int top)
    {
        for (var y = top + 2; y < top + 60; y += 2)
        {
            for (var x = 2; x < 300; x += 2)
            {
                var (r, g, b) = shot.Pixel(x, y);
                if (r + g + b < 150)
                    return true;
            }
        }
        return false;
    }

    /// <summary>Points all over the page (below the toolbar) where nothing but the page should be.</summary>
    private static IEnumerable<(int X, int Y)> Grid(int top, int below = 0) =>
        from x in new[] { 40, 640, 900, 1100, 1240 }
        from y in new[] { top + 20, top + 60, top + 120, top + 250, top + 400, top + 600 }
        where y >= top + below && !(x is 640 or 900 && y < top + 320) // the login page's button
        select (x, y);
}

/// <summary>Where Chromium's address bar is (the computer server's Chromium.AddressBarY): the window at 0,0, scale 1.</summary>
file static class Chromium
{
    public const int AddressBarY = 63;
}
