using AgentCluster.Api.V1;
using AgentCluster.ComputerProtocol;
using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Integration.Infrastructure;
using AgentCluster.Tests.Integration.Silo.Api;
using Google.Protobuf.WellKnownTypes;
using static AgentCluster.Tests.Integration.Sandbox.Egress.ShopPages;

namespace AgentCluster.Tests.Integration.Sandbox.Egress;

/// <summary>
/// A pooled desktop waits on the computer server's waiting page, and its claim hands that page the
/// session's first page (no typed URL). Through a real proxy to an HTTPS shop on loopback: the shop
/// gets the page's request with nothing of the waiting page in it, and once handed off the waiting
/// page's name is an ordinary host, which the session's proxy refuses to a hostile page.
/// </summary>
public sealed class PooledFirstPageTests(PooledDesktopEgressFixture node) : IClassFixture<PooledDesktopEgressFixture>
{
    private const string WaitingHost = "agentcluster.invalid";

    /// <summary>A row of the page just under the browser's tab strip and toolbar (which end at row 87).</summary>
    private const int UnderToolbar = 95;

    [Fact]
    public async Task A_claimed_desktop_opens_its_start_url_from_the_waiting_page_and_the_page_is_gone_after()
    {
        var desk = node.Desk;
        var before = node.Shop.Requests.Count;

        var session = await Claim(node.Url("/shop"));
        try
        {
            await desk.WaitForColour(session.Id, 1000, 600, Green, "the shop page, the claim's first page");

            var first = FirstShopPage(before);
            // The page opened it: a URL typed into the bar is a navigation of no site ("none").
            Assert.Equal(["cross-site"], first.Header("Sec-Fetch-Site"));
            Assert.Empty(first.Header("Referer"));
            Assert.DoesNotContain(WaitingHost, first.Head, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(await desk.AuditRows(session.Id), r => (r.Reason + r.Detail).Contains(WaitingHost, StringComparison.Ordinal));

            // A hostile page asks for the waiting page's hand-off: it is the session's proxy that answers, and refuses.
            await desk.Open(session.Id, $"<script>fetch('http://{WaitingHost}/next').catch(() => 0)</script>");
            await Eventually.True(async () => (await desk.AuditRows(session.Id))
                .Any(r => r.Kind == "egress.denied" && (r.Reason + r.Detail).Contains(WaitingHost, StringComparison.Ordinal)),
                "the session's proxy refusing the waiting page's name", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await desk.Kill(session);
        }
    }

    [Fact]
    public async Task Without_a_start_url_the_first_navigate_is_handed_over_unless_the_agents_own_input_came_first()
    {
        var desk = node.Desk;
        foreach (var (input, fetchSite) in new[] { (false, "cross-site"), (true, "none") })
        {
            var before = node.Shop.Requests.Count;
            var session = await Claim(null);
            try
            {
                if (input)
                    await desk.Act(new ActRequest { Session = session.Id, Action = "click", X = 640, Y = 400 });
                await desk.Act(new ActRequest { Session = session.Id, Action = "navigate", Url = node.Url("/shop") });
                await desk.WaitForColour(session.Id, 1000, 600, Green, "the shop page, the first navigate");

                // Typed (after a click, the browser may be anywhere): a navigation of no site.
                Assert.Equal([fetchSite], FirstShopPage(before).Header("Sec-Fetch-Site"));
            }
            finally
            {
                await desk.Kill(session);
            }
        }
    }

    [Fact]
    public async Task What_the_browser_asked_for_itself_while_pooled_does_not_go_out_at_the_claim()
    {
        var session = await Claim(node.Url("/shop"));
        try
        {
            await node.Desk.WaitForColour(session.Id, 1000, 600, Green, "the shop page, the claim's first page");
            // A pooled browser's own requests waited in the forwarder for a proxy, and a claim gave them the session's.
            await Task.Delay(TimeSpan.FromSeconds(5));
            var hosts = await node.Desk.EgressHosts(session.Id);
            Assert.NotEmpty(hosts);
            Assert.Equal(["127.0.0.1"], hosts.Distinct());
        }
        finally
        {
            await node.Desk.Kill(session);
        }
    }

    [Fact]
    public async Task Claimed_without_a_start_url_its_screen_stands_still_with_no_bar_over_the_page()
    {
        var desk = node.Desk;
        var session = await Claim(null);
        try
        {
            // A navigation left under way would spin the tab's throbber: a screen that never stands still.
            var shot = await desk.Screenshot(session.Id);
            await Eventually.True(async () =>
            {
                var next = await desk.Orchestrator.Computer.ScreenshotAsync(new ScreenshotRequest { Session = session.Id, ChangedFrom = shot.Tag, WaitMs = 1500 });
                var still = next.Tag == shot.Tag;
                shot = next;
                return still;
            }, "the claimed desktop's screen to stand still for 1.5 s", TimeSpan.FromSeconds(30));
            // White from just under the toolbar to the bottom: no infobar (the unsupported-flag warning
            // was one; its lower edge is grey) and no status bubble ("Waiting for …") over the page.
            var screen = PngImage.Decode(shot.Png.Span);
            // (The window's last row is its frame.)
            var marked = Enumerable.Range(UnderToolbar, screen.Height - 1 - UnderToolbar).Where(y => screen.Pixel(20, y) != (255, 255, 255)).ToList();
            Assert.True(marked.Count == 0, $"the waiting page is not bare: rows {string.Join(", ", marked.Take(10))} of its left edge are not white");
        }
        finally
        {
            await desk.Kill(session);
        }
    }

    /// <summary>A Ready session from a host's warm pool, once every pool is full.</summary>
    private async Task<AgentCluster.Api.V1.Session> Claim(string? startUrl)
    {
        await Eventually.True(async () => await PooledComputerNodeFixture.Warm() == DockerHosts.Endpoints.Count * PooledComputerNodeFixture.PoolSize,
            "every host's desktop pool to fill", TimeSpan.FromSeconds(120));
        var request = new CreateSessionRequest { Image = node.Desk.DesktopImage, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(10)), AllowHosts = { node.ShopHost } };
        if (startUrl is not null)
            request.StartUrl = startUrl;
        var session = await node.Desk.Orchestrator.Sessions.CreateSessionAsync(request);
        Assert.True(session.State == "Ready", $"the session is {session.State}: {session.Reason}");
        var endpoint = DockerHosts.Endpoints[int.Parse(session.Host[1..], System.Globalization.CultureInfo.InvariantCulture)];
        var (code, pool) = await DockerHosts.Docker(endpoint, "inspect", "-f", $"{{{{index .Config.Labels \"{SandboxLabels.Pool}\"}}}}", session.ContainerId);
        Assert.True(code == 0 && pool.Trim() == session.Host, $"session {session.Id}'s container is no pool container of {session.Host}: '{pool.Trim()}'");
        return session;
    }

    private ReceivedRequest FirstShopPage(int before) =>
        node.Shop.Requests.Skip(before).First(r => r.RequestLine.StartsWith("GET /shop ", StringComparison.Ordinal));
}
