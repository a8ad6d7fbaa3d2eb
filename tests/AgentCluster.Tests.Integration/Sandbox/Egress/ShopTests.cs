using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentCluster.Api.V1;
using AgentCluster.ComputerProtocol;
using AgentCluster.Tests.Integration.Infrastructure;
using AgentCluster.Tests.Integration.Silo.Api;
using Grpc.Core;
using static AgentCluster.Tests.Integration.Grains.Computer.DesktopContainer;
using static AgentCluster.Tests.Integration.Sandbox.Egress.ShopPages;

namespace AgentCluster.Tests.Integration.Sandbox.Egress;

/// <summary>
/// Issue 14's end to end: a desktop's browser shops on an HTTPS site through the session's proxy,
/// which intercepts it (inspect_tls, on for desktops) so that the Buy click's POST waits for a human.
/// </summary>
[Collection(DesktopEgressCollection.Name)]
public sealed class ShopTests(DesktopEgressFixture node)
{
    private ComputerTenant Desk => node.Desk;

    [Fact]
    public async Task A_buy_is_held_until_approved_and_the_shop_gets_exactly_the_held_request_and_a_denied_one_never()
    {
        await Desk.With(async session =>
        {
            Assert.True(session.InspectTls, "a desktop session inspects TLS by default");

            // Approved: the typed text reaches the shop in the body of exactly the request that was held.
            var top = await OpenShop(session.Id);
            var approved = await Order(session.Id, top, "two red apples", []);
            Assert.Equal(("http.request", "Irreversible"), (approved.Action, approved.Risk));
            using (var payload = JsonDocument.Parse(approved.RedactedPayload))
            {
                Assert.Equal(("POST", node.Url("/buy")), (payload.RootElement.GetProperty("method").GetString(), payload.RootElement.GetProperty("url").GetString()));
                await Task.Delay(500);
                Assert.Empty(Buys());
                await Desk.Approver.Approvals.ApproveAsync(new DecideRequest { Id = approved.Id, Note = "fine" });
                await Eventually.True(() => Task.FromResult(Buys().Count == 1), "the approved POST at the shop");
                var received = Assert.Single(Buys());
                Assert.Equal("item=two+red+apples", received.Body);
                Assert.Equal(payload.RootElement.GetProperty("bodySha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(received.Body))));
            }
            await Desk.WaitForColour(session.Id, 1000, top + 600, Magenta, "the shop's answer to the approved order");

            // Denied: the proxy answers the browser itself and the shop hears nothing.
            top = await OpenShop(session.Id);
            var denied = await Order(session.Id, top, "one blue pear", [approved.Id]);
            await Desk.Approver.Approvals.DenyAsync(new DecideRequest { Id = denied.Id, Note = "no" });
            await Eventually.True(async () => !Near(PngImage.Decode((await Desk.Screenshot(session.Id)).Png.Span).Pixel(1000, top + 600), Green),
                "the proxy's refusal in place of the shop page", TimeSpan.FromSeconds(60));
            Assert.Single(Buys());
            Assert.DoesNotContain(node.Shop.Requests, r => r.Body.Contains("pear", StringComparison.Ordinal));

            await AssertTrail(session.Id, approved.Id, denied.Id);
        }, null, node.ShopHost);
    }

    [Fact]
    public async Task Neither_a_navigate_nor_the_page_itself_reaches_a_host_off_the_allowlist()
    {
        await Desk.With(async session =>
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => Desk.Act(new ActRequest
            {
                Session = session.Id, Action = "navigate", Url = $"https://127.0.0.1:{node.Elsewhere.Port}/",
            }));
            Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);

            // The shop page loads an image from that host: the browser asks, the proxy refuses.
            await OpenShop(session.Id);
            await Eventually.True(async () => (await Desk.AuditRows(session.Id))
                .Any(r => r.Kind == "egress.denied" && (r.Reason + r.Detail).Contains($"{node.Elsewhere.Port}", StringComparison.Ordinal)),
                "the proxy's refusal of the page's image", TimeSpan.FromSeconds(30));
            Assert.Empty(node.Elsewhere.Requests);
        }, null, node.ShopHost);
    }

    [Fact]
    public async Task The_browser_itself_sends_nothing_through_the_session_egress()
    {
        await Desk.With(async session =>
        {
            await OpenShop(session.Id);
            await Eventually.True(async () => (await Desk.EgressHosts(session.Id)).Count > 0, "the shop page's egress rows");
            // Left to itself, Chromium asks for its account list at start and again 1, 4 and 12 s on, and for components and the time at once.
            await Task.Delay(TimeSpan.FromSeconds(5));
            Assert.Equal(["127.0.0.1"], (await Desk.EgressHosts(session.Id)).Distinct());
        }, null, node.ShopHost);
    }

    private List<ReceivedRequest> Buys() => [.. node.Shop.Requests.Where(r => r.RequestLine.StartsWith("POST /buy ", StringComparison.Ordinal))];

    /// <summary>Navigates to the shop and checks its blocks on the screen; returns where the page starts.</summary>
    private async Task<int> OpenShop(string session)
    {
        await Desk.Act(new ActRequest { Session = session, Action = "navigate", Url = node.Url("/shop") });
        var shot = await Desk.WaitForColour(session, 1000, 600, Green, "the shop page through the proxy");
        var top = PageTop(shot, Green);
        Assert.True(Near(shot.Pixel(YellowBlock.X, top + YellowBlock.Y), Yellow), "the yellow block where the page puts it");
        Assert.True(Near(shot.Pixel(BuyCorner.X, top + BuyCorner.Y), Blue), "the blue Buy button where the page puts it");
        return top;
    }

    /// <summary>Types into the field, presses Buy, and returns the approval the POST waits on.</summary>
    private async Task<Approval> Order(string session, int top, string text, string[] seen)
    {
        await Desk.Act(new ActRequest { Session = session, Action = "click", X = Field.X, Y = top + Field.Y });
        await Desk.Act(new ActRequest { Session = session, Action = "type", Text = text });
        await Desk.Act(new ActRequest { Session = session, Action = "click", X = Buy.X, Y = top + Buy.Y });
        return await ComputerGateTests.Held(Desk, session, seen);
    }

    /// <summary>Every step is in the trail: the actions (typed text as length and hash), each approval asked and decided, the refusal.</summary>
    private async Task AssertTrail(string session, string approved, string denied)
    {
        // The screenshots that watched the screen are in the trail too; the steps are the rest.
        var actions = (await Desk.ComputerRows(session)).Where(a => a.Detail.GetProperty("action").GetString() != "screenshot").ToList();
        Assert.Equal(["navigate", "click", "type", "click", "navigate", "click", "type", "click"],
            actions.Select(a => a.Detail.GetProperty("action").GetString()));
        Assert.All(actions, a => Assert.Equal("success", a.Outcome));
        var typed = actions.Where(a => a.Detail.GetProperty("action").GetString() == "type").Select(a => a.Detail.GetRawText()).ToList();
        Assert.All(typed, t => Assert.DoesNotContain("apples", t, StringComparison.Ordinal));
        Assert.All(typed, t => Assert.DoesNotContain("pear", t, StringComparison.Ordinal));

        foreach (var (approval, outcome) in new[] { (approved, "approved"), (denied, "denied") })
        {
            var rows = await BrokerAudit.Rows(node.DataDir, Desk.Name, approval);
            Assert.Contains(rows, r => r.Kind == "approval.requested");
            Assert.Contains(rows, r => r.Kind == "approval.decided" && r.Outcome == outcome);
        }
        var sessionRows = await Desk.AuditRows(session);
        Assert.Contains(sessionRows, r => r.Kind == "egress.denied" && r.Reason.Contains(denied, StringComparison.Ordinal));
    }
}
