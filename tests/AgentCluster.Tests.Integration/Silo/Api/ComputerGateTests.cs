using AgentCluster.Api.V1;
using AgentCluster.ComputerProtocol;
using AgentCluster.Tests.Integration.Infrastructure;
using Grpc.Core;
using static AgentCluster.Tests.Integration.Grains.Computer.DesktopContainer;

namespace AgentCluster.Tests.Integration.Silo.Api;

/// <summary>A computer action a tenant made stricter waits for an approver, like any other gated action.</summary>
[Collection(ComputerNodeCollection.Name)]
public sealed class ComputerGateTests(ComputerNodeFixture node)
{
    private static readonly (byte, byte, byte) Red = (220, 0, 0), Blue = (0, 0, 255);

    [Fact]
    public async Task A_click_made_irreversible_waits_a_denial_refuses_it_and_an_approval_carries_it_out()
    {
        var desk = node.Gated;
        await desk.With(async session =>
        {
            await desk.Open(session.Id, "<body style=\"margin:0;background:rgb(220,0,0)\"><button style=\"position:absolute;left:100px;top:100px;"
                + "width:600px;height:400px\" onclick=\"document.body.style.background='rgb(0,0,255)'\">Buy</button></body>");
            var top = PageTop(await desk.WaitForColour(session.Id, 1000, 600, Red, "the red page"), Red);
            var click = new ActRequest { Session = session.Id, Action = "click", X = 400, Y = top + 300 };

            var refused = desk.Act(click);
            var first = await Held(desk, session.Id, [], refused);
            Assert.Equal(("browser.click", "Irreversible"), (first.Action, first.Risk));
            Assert.Contains("\"x\":\"400\"", first.RedactedPayload, StringComparison.Ordinal);
            Assert.False(refused.IsCompleted, "the click waits for its decision");
            await desk.Approver.Approvals.DenyAsync(new DecideRequest { Id = first.Id, Note = "not this one" });
            var denied = await Assert.ThrowsAsync<RpcException>(() => refused);
            Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
            Assert.Contains($"approval {first.Id} was denied", denied.Status.Detail, StringComparison.Ordinal);
            Assert.True(Near(PngImage.Decode((await desk.Screenshot(session.Id)).Png.Span).Pixel(1000, 600), Red), "the page is unchanged");

            var carried = desk.Act(click);
            var second = await Held(desk, session.Id, [first.Id], carried);
            await desk.Approver.Approvals.ApproveAsync(new DecideRequest { Id = second.Id, Note = "go" });
            var done = await carried;
            Assert.Equal((second.Id, "Irreversible", 400), (done.ApprovalId, done.Risk, done.CursorX));
            await desk.WaitForColour(session.Id, 1000, 600, Blue, "the page to turn blue after the approved click");
            Assert.Equal("succeeded", (await desk.Approver.Approvals.GetApprovalAsync(new GetApprovalRequest { Id = second.Id })).Outcome);

            var rows = await desk.ComputerRows(session.Id);
            Assert.Equal(new (string, string?)[] { ("denied", first.Id), ("success", second.Id) },
                rows.Where(r => r.Detail.TryGetProperty("approval", out _)).Select(r => (r.Outcome, r.Detail.GetProperty("approval").GetString())));
        });
    }

    [Fact]
    public async Task Only_what_the_tenant_made_stricter_is_held_and_an_approved_click_goes_through_once()
    {
        var desk = node.Gated;
        await desk.With(async session =>
        {
            var click = desk.Act(new ActRequest { Session = session.Id, Action = "click", X = 10, Y = 10 });
            var held = await Held(desk, session.Id, [], click);
            await desk.Approver.Approvals.ApproveAsync(new DecideRequest { Id = held.Id, Note = "go" });
            Assert.Equal(held.Id, (await click).ApprovalId);

            // Reversible actions are not held: the screenshot and the move go through at once.
            Assert.Equal("Reversible", (await desk.Screenshot(session.Id)).Risk);
            Assert.Equal("Reversible", (await desk.Act(new ActRequest { Session = session.Id, Action = "mouse_move", X = 5, Y = 5 })).Risk);
            var inbox = await desk.Approver.Approvals.ListApprovalsAsync(new ListApprovalsRequest());
            Assert.DoesNotContain(inbox.Approvals, a => a.Session == session.Id);
        });
    }

    /// <summary>
    /// The pending approval the session's newest held action opened (not one of <paramref name="seen"/>).
    /// Given the <paramref name="action"/> that should be waiting on it, an action that ended instead is
    /// reported with what it ended with, not as a long wait for an approval that will never come.
    /// </summary>
    internal static async Task<Approval> Held(ComputerTenant desk, string session, string[] seen, Task? action = null)
    {
        Approval? found = null;
        await Eventually.True(async () =>
        {
            if (action is { IsCompleted: true })
                Assert.Fail($"the action ended before its approval was seen: {(action.IsFaulted ? action.Exception!.InnerException!.Message : "it went through")}");
            var inbox = await desk.Approver.Approvals.ListApprovalsAsync(new ListApprovalsRequest());
            found = inbox.Approvals.FirstOrDefault(a => a.Session == session && a.Status == "pending" && !seen.Contains(a.Id));
            return found is not null;
        }, "the held click's approval", TimeSpan.FromSeconds(30));
        return found!;
    }
}
