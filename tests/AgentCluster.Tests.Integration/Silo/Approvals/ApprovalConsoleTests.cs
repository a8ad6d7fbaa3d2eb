using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Grains.Approvals;
using AgentCluster.Tests.Integration.Infrastructure;
using AgentCluster.Tests.Integration.Silo.Console;
using Microsoft.Playwright;

namespace AgentCluster.Tests.Integration.Silo.Approvals;

/// <summary>The approval console in Debian's headless Chromium, driven by Playwright, against a real node.</summary>
[Collection(ApprovalNodeCollection.Name)]
public sealed class ApprovalConsoleTests(ApprovalNodeFixture node)
{
    [Fact]
    public async Task An_approver_approves_and_denies_in_the_browser_and_the_waiting_orchestrator_hears_it()
    {
        await node.SetTimeout(TimeSpan.FromSeconds(300));
        var session = await node.NewSession();
        var charge = await node.Authorize(session.Id, "stripe.charge",
            """{"amount": 777, "memo": "<img src=x onerror=\"document.title='owned'\">", "card_number": "4242424242424242"}""");
        var email = await node.Authorize(session.Id, "email.send_to_customer", """{"to": "c@example.com"}""");
        var waiting = Agentctl.RunAsync(node.Silo.ApiEndpoint, node.OrchestratorKey, "--json", "action", "wait", charge.ApprovalId);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ExtraHTTPHeaders = ConsoleBrowser.BasicHeader(node.ApproverKey),
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{node.Silo.AdminEndpoint}/approvals");

        var chargeRow = page.Locator($"tr[data-id='{charge.ApprovalId}']");
        await Assertions.Expect(chargeRow).ToBeVisibleAsync();
        // The agent-supplied markup is shown as inert, escaped text and never runs; the card number is redacted.
        await Assertions.Expect(chargeRow.Locator("td.payload")).ToContainTextAsync("\\u003Cimg src=x onerror=");
        Assert.Equal(0, await page.Locator("#approvals img").CountAsync());
        Assert.NotEqual("owned", await page.TitleAsync());
        Assert.DoesNotContain("4242424242424242", await page.ContentAsync());

        await chargeRow.Locator("button.approve").ClickAsync();
        await chargeRow.Locator("button.confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("approved");
        // Decided here, it stays where it was (nothing shifts under the pointer), marked and with nothing left to click.
        await Assertions.Expect(chargeRow).ToHaveClassAsync("settled");
        await Assertions.Expect(chargeRow.Locator("button.approve")).ToBeDisabledAsync();
        await Assertions.Expect(chargeRow.Locator(".state")).ToHaveTextAsync("approved");
        var waited = await waiting;
        Assert.Equal(0, waited.ExitCode);
        Assert.Equal("approved", JsonDocument.Parse(waited.Stdout).RootElement.GetProperty("status").GetString());

        var emailRow = page.Locator($"tr[data-id='{email.ApprovalId}']");
        await emailRow.Locator("button.deny").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("needs a reason");
        Assert.Equal("pending", (await Approval(email.ApprovalId)).Status);
        await emailRow.Locator("input.reason").FillAsync("wrong customer");
        await emailRow.Locator("button.deny").ClickAsync();
        // Deny asks first too: nothing is decided until it is confirmed.
        Assert.Equal("pending", (await Approval(email.ApprovalId)).Status);
        await emailRow.Locator("button.confirm-deny").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("denied");
        var denied = await Approval(email.ApprovalId);
        Assert.Equal(("denied", "wrong customer"), (denied.Status, denied.Note));
    }

    [Fact]
    public async Task Rows_stay_under_the_pointer_while_others_come_and_go_and_approve_asks_before_it_decides()
    {
        await node.SetTimeout(TimeSpan.FromSeconds(300));
        var session = await node.NewSession();
        var first = await node.Authorize(session.Id, "stripe.charge", """{"amount": 1}""");
        var second = await node.Authorize(session.Id, "stripe.charge", """{"amount": 2}""");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        var page = await (await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ExtraHTTPHeaders = ConsoleBrowser.BasicHeader(node.ApproverKey),
        })).NewPageAsync();
        await page.GotoAsync($"{node.Silo.AdminEndpoint}/approvals");
        var secondRow = page.Locator($"tr[data-id='{second.ApprovalId}']");
        var approve = secondRow.Locator("button.approve");
        await Assertions.Expect(approve).ToBeVisibleAsync();

        // The pointer rests on the second row's Approve while the first is decided elsewhere and a third arrives.
        await approve.ScrollIntoViewIfNeededAsync();
        var box = (await approve.BoundingBoxAsync())!;
        var (x, y) = (box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.MoveAsync(x, y);
        await node.Approver.Approvals.DenyAsync(new DecideRequest { Id = first.ApprovalId, Note = "decided elsewhere" });
        var third = await node.Authorize(session.Id, "stripe.charge", """{"amount": 3}""");
        await page.WaitForTimeoutAsync(5000);
        Assert.Equal(second.ApprovalId, await page.EvaluateAsync<string?>(
            "p => document.elementFromPoint(p.x, p.y)?.closest('tr')?.dataset.id ?? null", new { x = (double)x, y = (double)y }));

        // One click does not decide: it asks, and shows what is being approved.
        await page.Mouse.ClickAsync(x, y);
        await Assertions.Expect(secondRow.Locator(".confirm-question")).ToContainTextAsync("\"amount\":2");
        Assert.Equal("pending", (await Approval(second.ApprovalId)).Status);
        // A second click at the same spot (a double click) cancels rather than confirms.
        await page.Mouse.ClickAsync(x, y);
        Assert.Equal("pending", (await Approval(second.ApprovalId)).Status);
        await approve.ClickAsync();
        await secondRow.Locator("button.confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("approved");
        Assert.Equal("approved", (await Approval(second.ApprovalId)).Status);
        Assert.Equal("pending", (await Approval(third.ApprovalId)).Status);
        await node.Approver.Approvals.DenyAsync(new DecideRequest { Id = third.ApprovalId, Note = "test over" });
    }

    [Fact]
    public async Task The_console_decides_only_for_approvers_and_only_with_its_intent_header()
    {
        await node.SetTimeout(TimeSpan.FromSeconds(300));
        var session = await node.NewSession();
        var held = await node.Authorize(session.Id, "db.delete_row", """{"id": 9}""");
        using var http = new HttpClient { BaseAddress = new Uri(node.Silo.AdminEndpoint) };

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/approvals")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(http, HttpMethod.Get, "/approvals/api/pending", node.OrchestratorKey, intent: true)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(http, HttpMethod.Post, $"/approvals/api/{held.ApprovalId}/approve", node.OrchestratorKey, intent: true)).StatusCode);
        // A cross-site form post carries no custom header: refused even with the approver's credentials.
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(http, HttpMethod.Post, $"/approvals/api/{held.ApprovalId}/approve", node.ApproverKey, intent: false)).StatusCode);
        Assert.Equal("pending", (await Approval(held.ApprovalId)).Status);

        var page = await Send(http, HttpMethod.Get, "/approvals", node.ApproverKey, intent: false);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        var approved = await Send(http, HttpMethod.Post, $"/approvals/api/{held.ApprovalId}/approve", node.ApproverKey, intent: true);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var again = await Send(http, HttpMethod.Post, $"/approvals/api/{held.ApprovalId}/deny", node.ApproverKey, intent: true, note: "late");
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("approved", (await Approval(held.ApprovalId)).Status);
    }

    private Task<Approval> Approval(string id) =>
        node.Approver.Approvals.GetApprovalAsync(new GetApprovalRequest { Id = id }).ResponseAsync;

    private static Task<HttpResponseMessage> Send(HttpClient http, HttpMethod method, string path, string key, bool intent, string note = "")
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"x:{key}")));
        if (intent)
            request.Headers.Add("X-AgentCluster-Console", "1");
        if (method == HttpMethod.Post)
            request.Content = new StringContent(JsonSerializer.Serialize(new { note }), Encoding.UTF8, "application/json");
        return http.SendAsync(request);
    }
}
