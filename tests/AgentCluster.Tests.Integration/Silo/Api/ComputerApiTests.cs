using System.Security.Cryptography;
using System.Text;
using AgentCluster.Api.V1;
using AgentCluster.ComputerProtocol;
using AgentCluster.Tests.Integration.Infrastructure;
using Grpc.Core;
using static AgentCluster.Tests.Integration.Grains.Computer.DesktopContainer;

namespace AgentCluster.Tests.Integration.Silo.Api;

/// <summary>The computer API on a real node and real desktops: pixels, input, the allowlist, the audit trail.</summary>
[Collection(ComputerNodeCollection.Name)]
public sealed class ComputerApiTests(ComputerNodeFixture node)
{
    private static readonly (byte, byte, byte) Green = (0, 200, 0), Red = (220, 0, 0), Blue = (0, 0, 255);

    private const string BlockPage = "<body style=\"margin:0;background:rgb(0,200,0)\"><div style=\"position:absolute;left:0;top:200px;"
        + "width:400px;height:200px;background:rgb(220,0,0)\"></div></body>";

    [Fact]
    public async Task A_screenshot_is_a_1280x800_png_of_the_page_navigated_to()
    {
        var desk = node.Main;
        await desk.With(async session =>
        {
            Assert.True(session.Desktop);
            await desk.Open(session.Id, BlockPage);
            var shot = await desk.WaitForColour(session.Id, 1000, 600, Green, "the green page");

            Assert.Equal((Width, Height), (shot.Width, shot.Height));
            var top = PageTop(shot, Green);
            Assert.True(Near(shot.Pixel(200, top + 300), Red), "the red block is where the page puts it");
            Assert.True(Near(shot.Pixel(200, top + 100), Green), "above the block is the page's green");
            var whole = await desk.Screenshot(session.Id);
            Assert.Equal((Width, Height, "Reversible", ""), (whole.Width, whole.Height, whole.Risk, whole.ApprovalId));
            var half = await desk.Screenshot(session.Id, 0.5);
            Assert.Equal((Width / 2, Height / 2), (half.Width, half.Height));
            Assert.True(Near(PngImage.Decode(half.Png.Span).Pixel(100, (top + 300) / 2), Red), "the half-size screenshot shows the block");
        });
    }

    [Fact]
    public async Task Type_and_click_change_the_page_and_the_audit_keeps_typed_text_only_as_length_and_hash()
    {
        var desk = node.Main;
        var text = $"Secret <{Guid.NewGuid():N}>!";
        await desk.With(async session =>
        {
            // Blue only when the field holds exactly the typed text (the page holds it reversed, so that the
            // clear text is in no navigate's URL); any other text turns the page yellow.
            await desk.Open(session.Id, "<body style=\"margin:0;background:rgb(220,0,0)\">"
                + "<input id=i style=\"position:absolute;left:100px;top:100px;width:300px;height:40px\">"
                + "<button style=\"position:absolute;left:100px;top:200px;width:200px;height:60px\" onclick=\"document.body.style.background="
                + $"document.getElementById('i').value.split('').reverse().join('')==='{new string([.. text.Reverse()])}'"
                + "?'rgb(0,0,255)':'rgb(255,255,0)'\">Buy</button></body>");
            var top = PageTop(await desk.WaitForColour(session.Id, 1000, 600, Red, "the red form page"), Red);

            var field = await desk.Act(new ActRequest { Session = session.Id, Action = "click", X = 250, Y = top + 120 });
            await desk.Act(new ActRequest { Session = session.Id, Action = "type", Text = text });
            await desk.Act(new ActRequest { Session = session.Id, Action = "click", X = 200, Y = top + 230 });
            await desk.WaitForColour(session.Id, 1000, 600, Blue, "the page to turn blue after the click on Buy");

            Assert.Equal((250, top + 120, "Reversible"), (field.CursorX, field.CursorY, field.Risk));
            var rows = (await desk.ComputerRows(session.Id)).Select(r => r.Detail).ToList();
            var typed = Assert.Single(rows, r => r.GetProperty("action").GetString() == "type");
            Assert.Equal((text.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), HashPrefix(text), "browser.type"),
                (typed.GetProperty("text_length").GetString(), typed.GetProperty("text_sha256").GetString(), typed.GetProperty("gate").GetString()));
            Assert.Contains(rows, r => r.GetProperty("action").GetString() == "click" && r.GetProperty("y").GetString() == $"{top + 230}");
            Assert.Contains(rows, r => r.GetProperty("action").GetString() == "navigate" && r.GetProperty("gate").GetString() == "browser.navigate");
            Assert.DoesNotContain(await BrokerAudit.EveryCell(node.DataDir), cell => cell.Contains(text, StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task A_navigate_off_the_allowlist_is_refused_before_the_browser_and_audited()
    {
        var desk = node.Main;
        await desk.With(async session =>
        {
            await desk.Open(session.Id, BlockPage);
            await desk.WaitForColour(session.Id, 1000, 600, Green, "the green page");

            var refused = await Assert.ThrowsAsync<RpcException>(() =>
                desk.Act(new ActRequest { Session = session.Id, Action = "navigate", Url = "https://evil.example.org/steal" }));
            var script = await Assert.ThrowsAsync<RpcException>(() =>
                desk.Act(new ActRequest { Session = session.Id, Action = "navigate", Url = "javascript:alert(1)" }));

            Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
            Assert.Contains("evil.example.org:443", refused.Status.Detail, StringComparison.Ordinal);
            Assert.Equal(StatusCode.InvalidArgument, script.StatusCode);
            Assert.True(Near(PngImage.Decode((await desk.Screenshot(session.Id)).Png.Span).Pixel(1000, 600), Green), "the page is still the green one");
            await desk.Act(new ActRequest { Session = session.Id, Action = "navigate", Url = "https://api.example.com/" });
            var rows = await desk.ComputerRows(session.Id);
            var row = Assert.Single(rows, r => r.Outcome == "denied");
            Assert.Equal(("https://evil.example.org/steal", "browser.navigate"), (row.Detail.GetProperty("url").GetString(), row.Detail.GetProperty("gate").GetString()));
            Assert.Equal("success", rows[^1].Outcome);
        }, null, "api.example.com");
    }

    [Fact]
    public async Task Another_tenants_key_and_an_unknown_session_get_the_same_NotFound()
    {
        await node.Main.With(async session =>
        {
            var computer = node.Stranger.Orchestrator.Computer;
            var calls = new Func<Task>[]
            {
                () => computer.ScreenshotAsync(new ScreenshotRequest { Session = session.Id }).ResponseAsync,
                () => computer.ActAsync(new ActRequest { Session = session.Id, Action = "click", X = 1, Y = 1 }).ResponseAsync,
                () => computer.WatchFrames(new WatchFramesRequest { Session = session.Id, MaxFrames = 1 }).ResponseStream.MoveNext(),
            };
            foreach (var call in calls)
            {
                var e = await Assert.ThrowsAsync<RpcException>(call);
                Assert.Equal((StatusCode.NotFound, $"session {session.Id} not found"), (e.StatusCode, e.Status.Detail));
            }
            var unknown = await Assert.ThrowsAsync<RpcException>(() => node.Main.Screenshot("ses_00000000000000000000000000000000"));
            Assert.Equal((StatusCode.NotFound, "session ses_00000000000000000000000000000000 not found"), (unknown.StatusCode, unknown.Status.Detail));
            Assert.Empty(await node.Main.ComputerRows(session.Id));
        });
    }

    [Fact]
    public async Task A_busybox_session_and_an_ended_desktop_are_FailedPrecondition()
    {
        var desk = node.Main;
        var ended = await desk.NewSession();
        await desk.Kill(ended);
        await desk.With(async busybox =>
        {
            Assert.False(busybox.Desktop);
            var plain = await Assert.ThrowsAsync<RpcException>(() => desk.Screenshot(busybox.Id));
            var click = await Assert.ThrowsAsync<RpcException>(() => desk.Act(new ActRequest { Session = busybox.Id, Action = "click" }));
            var gone = await Assert.ThrowsAsync<RpcException>(() => desk.Screenshot(ended.Id));

            Assert.Equal(StatusCode.FailedPrecondition, plain.StatusCode);
            Assert.Contains("not a desktop image", plain.Status.Detail, StringComparison.Ordinal);
            Assert.Equal(StatusCode.FailedPrecondition, click.StatusCode);
            Assert.Equal(StatusCode.FailedPrecondition, gone.StatusCode);
            Assert.Contains("Terminated", gone.Status.Detail, StringComparison.Ordinal);
        }, DockerHosts.Image);
    }

    [Fact]
    public async Task Bad_arguments_are_InvalidArgument_and_leave_no_trace()
    {
        var desk = node.Main;
        await desk.With(async session =>
        {
            var cases = new (Func<Task> Call, string Reason)[]
            {
                (() => desk.Act(new ActRequest { Session = session.Id, Action = "click", X = 5000, Y = 10 }), "x 5000 is outside 0-1279"),
                (() => desk.Act(new ActRequest { Session = session.Id, Action = "format_disk" }), "unknown action 'format_disk'"),
                (() => desk.Act(new ActRequest { Session = session.Id, Action = "wait", Milliseconds = 60_000 }), "milliseconds 60000 is outside 0-20000"),
                (() => desk.Act(new ActRequest { Session = session.Id, Action = "screenshot" }), "call Screenshot or WatchFrames"),
                (() => desk.Screenshot(session.Id, 2), "scale 2 is outside (0, 1]"),
                (() => Changed(desk, session.Id, "", 500), "wait_ms needs changed_from"),
                (() => Changed(desk, session.Id, new string('a', 64), 0), "changed_from needs wait_ms"),
                (() => Changed(desk, session.Id, new string('A', 64), 500), "changed_from is not a screenshot's tag"),
                (() => Changed(desk, session.Id, new string('a', 64), 20_001), "wait_ms 20001 is outside 0-20000"),
            };
            foreach (var (call, reason) in cases)
            {
                var e = await Assert.ThrowsAsync<RpcException>(call);
                Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
                Assert.Contains(reason, e.Status.Detail, StringComparison.Ordinal);
            }
            Assert.Empty(await desk.ComputerRows(session.Id));
        });
    }

    [Fact]
    public async Task A_screenshot_that_waits_for_a_change_is_answered_with_the_change_not_with_what_the_screen_went_back_to()
    {
        var desk = node.Main;
        await desk.With(async session =>
        {
            // Green; a click turns it blue for 1.5 s, then it is green again.
            await desk.Open(session.Id, "<body style=\"margin:0;background:rgb(0,200,0)\"><script>onclick = () => { document.body.style.background = 'rgb(0,0,255)'; "
                + "setTimeout(() => document.body.style.background = 'rgb(0,200,0)', 1500); };</script></body>");
            await desk.WaitForColour(session.Id, 1000, 600, Green, "the green page");
            var before = await Changed(desk, session.Id, "", 0);
            Assert.Equal(ScreenTag.Of(before.Png.Span), before.Tag);
            Assert.Equal(Green, PngImage.Decode(before.Png.Span).Pixel(0, 0));

            var still = await Changed(desk, session.Id, before.Tag, 300);
            Assert.Equal(before.Tag, still.Tag);

            // Waited on for longer than the blue lasts: only an answer at the change itself can be blue.
            var waiting = Changed(desk, session.Id, before.Tag, 20_000);
            await desk.Act(new ActRequest { Session = session.Id, Action = "click", X = 200, Y = 700 });
            var changed = await waiting;
            Assert.NotEqual(before.Tag, changed.Tag);
            Assert.Equal(Blue, PngImage.Decode(changed.Png.Span).Pixel(0, 0));

            var row = (await desk.ComputerRows(session.Id)).Select(r => r.Detail)
                .Last(d => d.GetProperty("action").GetString() == "screenshot" && d.TryGetProperty("changed_from", out _));
            Assert.Equal((before.Tag, "20000"), (row.GetProperty("changed_from").GetString(), row.GetProperty("milliseconds").GetString()));
        });
    }

    /// <summary>The pixel at 600,500; with a tag, once it differs from that picture or the wait is over.</summary>
    private static async Task<ScreenshotResponse> Changed(ComputerTenant desk, string session, string changedFrom, int waitMs) =>
        await desk.Orchestrator.Computer.ScreenshotAsync(new ScreenshotRequest
        {
            Session = session, Region = new AgentCluster.Api.V1.ScreenRegion { X = 600, Y = 500, Width = 1, Height = 1 }, ChangedFrom = changedFrom, WaitMs = waitMs,
        });

    [Fact]
    public async Task A_watcher_gets_the_frames_it_asked_for_gated_and_audited_once()
    {
        var desk = node.Main;
        await desk.With(async session =>
        {
            using var call = desk.Orchestrator.Computer.WatchFrames(new WatchFramesRequest { Session = session.Id, IntervalMs = 100, MaxFrames = 3, Scale = 0.25 });
            var frames = new List<ScreenshotResponse>();
            await foreach (var frame in call.ResponseStream.ReadAllAsync())
                frames.Add(frame);

            Assert.Equal(3, frames.Count);
            Assert.All(frames, f => Assert.Equal((320, 200, 320, 200), (f.Width, f.Height, PngImage.Decode(f.Png.Span).Width, PngImage.Decode(f.Png.Span).Height)));
            var row = Assert.Single(await desk.ComputerRows(session.Id)).Detail;
            Assert.Equal(("watch_frames", "3", "100"), (row.GetProperty("action").GetString(), row.GetProperty("frames").GetString(), row.GetProperty("interval_ms").GetString()));
        });
    }

    [Fact]
    public async Task A_computer_server_that_stops_answering_fails_its_session_with_the_reason()
    {
        var desk = node.Main;
        await desk.With(async session =>
        {
            await desk.Screenshot(session.Id);
            var (code, output) = await DockerHosts.Docker(DockerHosts.Endpoints[int.Parse(session.Host[1..], System.Globalization.CultureInfo.InvariantCulture)],
                "pause", session.ContainerId);
            Assert.True(code == 0, output);

            var silent = await Assert.ThrowsAsync<RpcException>(() => desk.Act(new ActRequest { Session = session.Id, Action = "click", X = 10, Y = 10 }));

            Assert.Equal(StatusCode.Unavailable, silent.StatusCode);
            Assert.Contains($"session {session.Id} is Failed", silent.Status.Detail, StringComparison.Ordinal);
            var failed = await desk.Orchestrator.Sessions.GetSessionAsync(new GetSessionRequest { Id = session.Id });
            Assert.Equal("Failed", failed.State);
            Assert.Contains("the computer server does not answer", failed.Reason, StringComparison.Ordinal);
            Assert.Empty(await DockerHosts.Containers(DockerHosts.Endpoints[int.Parse(session.Host[1..], System.Globalization.CultureInfo.InvariantCulture)],
                $"agentcluster.session={session.Id}"));
        });
    }

    private static string HashPrefix(string text) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
}
