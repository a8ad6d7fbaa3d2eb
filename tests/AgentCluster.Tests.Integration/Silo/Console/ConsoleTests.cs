using System.Net;
using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using AgentCluster.Tests.Integration.Sandbox.Egress;
using Grpc.Core;
using Microsoft.Playwright;

namespace AgentCluster.Tests.Integration.Silo.Console;

/// <summary>
/// The operator's console in Debian's headless Chromium against a real node, its engines, a real
/// egress proxy and real desktop sessions.
/// </summary>
[Collection(ConsoleNodeCollection.Name)]
public sealed class ConsoleTests(ConsoleNodeFixture node)
{
    // Pure colours, as the computer API's tests use: what the desktop paints them as is what was asked.
    private static readonly (byte R, byte G, byte B) Red = (220, 0, 0), Blue = (0, 0, 255);

    private static string Page((byte R, byte G, byte B) c) => $"<body style=\"margin:0;background:rgb({c.R},{c.G},{c.B})\"></body>";

    [Fact]
    public async Task A_new_session_appears_without_a_reload_its_screen_follows_it_and_Kill_removes_its_container()
    {
        await using var browser = await ConsoleBrowser.SignIn(node.Main.Orchestrator.ApiKey!);
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync($"{node.Silo.AdminEndpoint}/console/sessions");
        await page.EvaluateAsync("() => { window.sameDocument = true; }");

        var session = await node.Main.NewSession();
        try
        {
            var row = page.Locator($"#sessions tr[data-id='{session.Id}']");
            await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await Assertions.Expect(row.Locator("td.state")).ToHaveTextAsync("Ready");
            Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "the list reloaded the page");

            await node.Main.Open(session.Id, Page(Red));
            await node.Main.WaitForColour(session.Id, 1000, 600, Red, "the red page");
            await row.Locator("a").ClickAsync();
            var screen = page.Locator("img#screen");
            await ConsoleBrowser.WaitForPicture(screen, Red, "the console's screen to show the red page");
            // An action through gRPC, not the console: the console's picture follows the screen.
            await node.Main.Open(session.Id, Page(Blue));
            await ConsoleBrowser.WaitForPicture(screen, Blue, "the console's screen to show the blue page");

            await page.ClickAsync("#kill-ask");
            Assert.Equal("Ready", (await Get(session.Id)).State);
            await page.ClickAsync("#kill-yes");
            await Assertions.Expect(page.Locator("#state")).ToContainTextAsync("Terminated");
            foreach (var engine in DockerHosts.Endpoints)
                Assert.NotEqual(0, (await DockerHosts.Docker(engine, "inspect", session.ContainerId)).ExitCode);
        }
        finally
        {
            await node.Main.Kill(session);
        }
    }

    [Fact]
    public async Task An_approver_sees_the_screen_a_held_click_was_asked_on_and_approving_releases_the_caller()
    {
        var session = await node.Gated.NewSession();
        try
        {
            await node.Gated.Open(session.Id, Page(Red));
            await node.Gated.WaitForColour(session.Id, 1000, 600, Red, "the red page");
            var click = node.Gated.Act(new ActRequest { Session = session.Id, Action = "click", X = 640, Y = 400 });

            await using var browser = await ConsoleBrowser.SignIn(node.Gated.Approver.ApiKey!);
            var page = await browser.Context.NewPageAsync();
            await page.GotoAsync($"{node.Silo.AdminEndpoint}/approvals/");
            var row = page.Locator("#approvals tbody tr").Filter(new() { HasText = session.Id });
            var picture = row.Locator("img.approval-screen");
            await Assertions.Expect(picture).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await ConsoleBrowser.WaitForPicture(picture, Red, "the approval card to show the red page");
            Assert.False(click.IsCompleted, "the click went ahead before anyone approved it");

            await row.Locator("button.approve").ClickAsync();
            await row.Locator("input.comment").FillAsync("looks right");
            await row.Locator("button.confirm").ClickAsync();
            await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("approved");
            var done = await click;
            Assert.False(string.IsNullOrEmpty(done.ApprovalId));
            var approval = await node.Gated.Approver.Approvals.GetApprovalAsync(new GetApprovalRequest { Id = done.ApprovalId });
            Assert.Equal(("approved", "looks right"), (approval.Status, approval.Note));

            await page.ClickAsync("#tab-history");
            await Assertions.Expect(page.Locator($"#history tr[data-id='{done.ApprovalId}'] td.status")).ToHaveTextAsync("approved");
            // The picture served the decision and went with it: not even its approver can fetch it now.
            using var http = new HttpClient { BaseAddress = new Uri(node.Silo.AdminEndpoint) };
            var gone = await http.SendAsync(ConsoleBrowser.Request(HttpMethod.Get, $"/approvals/api/{done.ApprovalId}/screen.png", node.Gated.Approver.ApiKey!, false));
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            Assert.Equal(0, await page.Locator($"#history tr[data-id='{done.ApprovalId}'] img.approval-screen").CountAsync());
        }
        finally
        {
            await node.Gated.Kill(session);
        }
    }

    [Fact]
    public async Task Another_tenants_key_finds_nothing_and_an_orchestrator_key_has_nothing_to_decide()
    {
        var session = await node.Gated.NewSession();
        try
        {
            var click = node.Gated.Act(new ActRequest { Session = session.Id, Action = "click", X = 10, Y = 10 });
            var pending = await Held(session.Id);
            using var http = new HttpClient { BaseAddress = new Uri(node.Silo.AdminEndpoint) };
            async Task<HttpStatusCode> Status(HttpMethod method, string path, string key, bool intent = false) =>
                (await http.SendAsync(ConsoleBrowser.Request(method, path, key, intent))).StatusCode;

            var stranger = node.Stranger.Orchestrator.ApiKey!;
            Assert.Equal(HttpStatusCode.NotFound, await Status(HttpMethod.Get, $"/console/sessions/{session.Id}", stranger));
            Assert.Equal(HttpStatusCode.NotFound, await Status(HttpMethod.Get, $"/console/api/sessions/{session.Id}", stranger));
            Assert.Equal(HttpStatusCode.NotFound, await Status(HttpMethod.Get, $"/console/api/sessions/{session.Id}/screen.png", stranger));
            Assert.Equal(HttpStatusCode.NotFound, await Status(HttpMethod.Post, $"/console/api/sessions/{session.Id}/kill", stranger, intent: true));
            Assert.Equal(HttpStatusCode.NotFound, await Status(HttpMethod.Get, $"/approvals/api/{pending}/screen.png", node.Stranger.Approver.ApiKey!));
            // The silo takes the picture just after the approval opens: its own approver sees it once it is there.
            await Eventually.True(async () => await Status(HttpMethod.Get, $"/approvals/api/{pending}/screen.png", node.Gated.Approver.ApiKey!) == HttpStatusCode.OK,
                "the approval's screen for its own approver");
            // The session's own orchestrator: no approvals at all, and a kill without the console's header is refused (CSRF).
            var own = node.Gated.Orchestrator.ApiKey!;
            Assert.Equal(HttpStatusCode.Forbidden, await Status(HttpMethod.Get, $"/approvals/api/{pending}/screen.png", own));
            Assert.Equal(HttpStatusCode.Forbidden, await Status(HttpMethod.Post, $"/console/api/sessions/{session.Id}/kill", own));
            Assert.Equal("Ready", (await node.Gated.Orchestrator.Sessions.GetSessionAsync(new GetSessionRequest { Id = session.Id })).State);

            await using var browser = await ConsoleBrowser.SignIn(own);
            var page = await browser.Context.NewPageAsync();
            await page.GotoAsync($"{node.Silo.AdminEndpoint}/console/sessions/{session.Id}");
            await Assertions.Expect(page.Locator("#state")).ToContainTextAsync("Ready");
            Assert.Equal(0, await page.Locator("button.approve, button.deny, button.confirm").CountAsync());
            var approvals = await page.GotoAsync($"{node.Silo.AdminEndpoint}/approvals/");
            Assert.Equal(403, approvals!.Status);

            await node.Gated.Approver.Approvals.DenyAsync(new DecideRequest { Id = pending, Note = "test over" });
            await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => click);
        }
        finally
        {
            await node.Gated.Kill(session);
        }
    }

    [Fact]
    public async Task Every_page_has_no_serious_accessibility_violation_scrolls_nowhere_sideways_and_is_pictured_at_both_widths()
    {
        var session = await node.Gated.NewSession();
        try
        {
            await node.Gated.Open(session.Id, Page(Blue));
            var click = node.Gated.Act(new ActRequest { Session = session.Id, Action = "click", X = 10, Y = 10 });
            var pending = await Held(session.Id);
            var admin = node.Admin.ApiKey!;
            var approver = node.Gated.Approver.ApiKey!;
            (string Name, string Key, string Path, string? Click)[] pages =
            [
                ("home", admin, "/", null),
                ("sessions", admin, "/console/sessions", null),
                ("session", admin, $"/console/sessions/{session.Id}", null),
                ("approvals", approver, "/approvals/", null),
                ("approvals-history", approver, "/approvals/", "#tab-history"),
                ("fleet", admin, "/console/fleet", null),
                ("audit", admin, "/console/audit", "#verify"),
            ];
            List<string> violations = [], sideways = [];
            foreach (var size in new[] { ConsoleBrowser.Desktop, ConsoleBrowser.Phone })
            {
                foreach (var (name, key, path, click2) in pages)
                {
                    await using var browser = await ConsoleBrowser.SignIn(key, size);
                    var page = await browser.Context.NewPageAsync();
                    var response = await page.GotoAsync($"{node.Silo.AdminEndpoint}{path}");
                    Assert.True(response!.Ok, $"{path}: HTTP {response.Status}");
                    await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 5_000 }).ContinueWith(_ => { });
                    if (click2 is not null)
                        await page.ClickAsync(click2);
                    // What each page lists is there before it is measured: a table sideways-scrolls only once it has rows.
                    if (name == "sessions")
                        await Assertions.Expect(page.Locator($"#sessions tr[data-id='{session.Id}']")).ToBeVisibleAsync(new() { Timeout = 20_000 });
                    if (name == "session")
                        await Assertions.Expect(page.Locator("#trail tbody tr").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
                    if (name == "approvals")
                        await Assertions.Expect(page.Locator("img.approval-screen")).ToBeVisibleAsync(new() { Timeout = 30_000 });
                    if (name == "fleet")
                        await Assertions.Expect(page.Locator("#hosts tbody tr").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
                    if (name == "audit")
                    {
                        await Assertions.Expect(page.Locator("#rows tbody tr").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
                        await Assertions.Expect(page.Locator("#verify-results li").First).ToContainTextAsync("intact");
                    }
                    await ConsoleBrowser.Save(page, name, size);
                    violations.AddRange((await ConsoleBrowser.SeriousViolations(page)).Select(v => $"{name}@{size.Width}: {v}"));
                    sideways.AddRange((await ConsoleBrowser.SidewaysScroll(page, regions: size == ConsoleBrowser.Phone)).Select(v => $"{name}@{size.Width}: {v}"));
                }
            }
            Assert.True(violations.Count == 0, string.Join("\n", violations));
            Assert.True(sideways.Count == 0, "sideways scrolling:\n" + string.Join("\n", sideways));
            foreach (var (name, _, _, _) in pages)
            {
                foreach (var width in new[] { ConsoleBrowser.Desktop.Width, ConsoleBrowser.Phone.Width })
                    Assert.True(File.Exists(Path.Combine(ConsoleBrowser.ScreensDir, $"{name}-{width}.png")), $"{name}-{width}.png");
            }
            await node.Gated.Approver.Approvals.DenyAsync(new DecideRequest { Id = pending, Note = "test over" });
            await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => click);
        }
        finally
        {
            await node.Gated.Kill(session);
        }
    }

    [Fact]
    public async Task The_session_page_lists_its_egress_decisions_allowed_and_denied_with_the_reason()
    {
        var session = await node.Main.NewSession(null, node.ShopHost);
        try
        {
            // Allowed: the shop page, through the proxy. It asks for an image from a host off the allowlist, which the proxy refuses.
            await node.Main.Act(new ActRequest { Session = session.Id, Action = "navigate", Url = node.Url("/shop") });
            await node.Main.WaitForColour(session.Id, 1000, 600, ShopPages.Green, "the shop page through the proxy");
            // A navigate straight to that host: refused before the browser goes anywhere.
            var elsewhere = $"127.0.0.1:{node.Elsewhere.Port}";
            var refused = await Assert.ThrowsAsync<RpcException>(() => node.Main.Act(new ActRequest
            {
                Session = session.Id, Action = "navigate", Url = $"https://{elsewhere}/",
            }));
            Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);

            await using var browser = await ConsoleBrowser.SignIn(node.Main.Orchestrator.ApiKey!);
            var page = await browser.Context.NewPageAsync();
            await page.GotoAsync($"{node.Silo.AdminEndpoint}/console/sessions/{session.Id}");
            // Columns: time, decision, request, reason. The page reads them again every few seconds; the proxy's rows come in batches.
            var egress = page.Locator("#egress tbody tr");
            var allowed = egress.Filter(new() { HasText = $"{node.ShopHost}/shop" }).First;
            await Assertions.Expect(allowed).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Assertions.Expect(allowed.Locator("td").Nth(1)).ToHaveTextAsync("allowed");
            var denied = egress.Filter(new() { HasText = elsewhere }).Filter(new() { HasText = "not-allowlisted" }).First;
            await Assertions.Expect(denied).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Assertions.Expect(denied.Locator("td").Nth(1)).ToHaveTextAsync("denied");
            await Assertions.Expect(denied.Locator("td").Nth(3)).ToHaveTextAsync("not-allowlisted");
            var navigate = egress.Filter(new() { HasText = $"navigate https://{elsewhere}/" }).First;
            await Assertions.Expect(navigate).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Assertions.Expect(navigate.Locator("td").Nth(1)).ToHaveTextAsync("denied");
            await Assertions.Expect(navigate.Locator("td").Nth(3)).ToContainTextAsync($"not on session {session.Id}'s allowlist");
            Assert.Empty(node.Elsewhere.Requests);
            Assert.Contains(node.Shop.Requests, r => r.RequestLine.StartsWith("GET /shop ", StringComparison.Ordinal));
            await ConsoleBrowser.Save(page, "session-egress", ConsoleBrowser.Desktop);
        }
        finally
        {
            await node.Main.Kill(session);
        }
    }

    [Fact]
    public async Task Watching_a_screen_is_on_the_sessions_audit_trail_once_per_viewer_not_once_per_frame()
    {
        var session = await node.Main.NewSession();
        try
        {
            var key = node.Main.Orchestrator.ApiKey!;
            await using var browser = await ConsoleBrowser.SignIn(key);
            var page = await browser.Context.NewPageAsync();
            var frames = 0;
            page.Response += (_, r) =>
            {
                if (r.Url.Contains("/screen.png", StringComparison.Ordinal) && r.Status == 200)
                    Interlocked.Increment(ref frames);
            };
            await page.GotoAsync($"{node.Silo.AdminEndpoint}/console/sessions/{session.Id}");
            var keyId = await page.EvaluateAsync<string>("async () => (await (await fetch('/console/api/me')).json()).keyId");
            await Eventually.True(() => Task.FromResult(Volatile.Read(ref frames) >= 6), "six frames of the live screen");

            // Columns: time, kind, actor, outcome, reason, detail. The trail is read again every few seconds.
            var viewed = page.Locator("#trail tbody tr").Filter(new() { HasText = "console.screen_viewed" });
            await Assertions.Expect(viewed.First).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await Assertions.Expect(viewed.First.Locator("td").Nth(2)).ToHaveTextAsync(keyId);
            await Assertions.Expect(viewed.First.Locator("td").Nth(5)).ToContainTextAsync("\"view\":\"live\"");
            Assert.Equal(1, await viewed.CountAsync());

            // In the audit itself: one row for all those frames, the key's id as actor, and nothing of its secret anywhere.
            var rows = (await node.Main.AuditRows(session.Id)).Where(r => r.Kind == "console.screen_viewed").ToList();
            var row = Assert.Single(rows);
            Assert.Equal("success", row.Outcome);
            Assert.True(Volatile.Read(ref frames) >= 6);
            Assert.DoesNotContain(key, row.Detail, StringComparison.Ordinal);
            Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);

            // A cluster admin's Audit page finds it by kind and session.
            await using var admin = await ConsoleBrowser.SignIn(node.Admin.ApiKey!);
            var audit = await admin.Context.NewPageAsync();
            await audit.GotoAsync($"{node.Silo.AdminEndpoint}/console/audit");
            await audit.FillAsync("#kind", "console.screen_viewed");
            await audit.FillAsync("#session", session.Id);
            await audit.ClickAsync("#filters button[type=submit]");
            var found = audit.Locator("#rows tbody tr");
            await Assertions.Expect(found).ToHaveCountAsync(1);
            await Assertions.Expect(found.Locator("td").Nth(4)).ToHaveTextAsync(keyId);
            await ConsoleBrowser.Save(audit, "audit-screen-viewed", ConsoleBrowser.Desktop);
        }
        finally
        {
            await node.Main.Kill(session);
        }
    }

    [Fact]
    public async Task The_main_controls_work_from_the_keyboard_alone_and_show_where_the_focus_is()
    {
        var session = await node.Gated.NewSession();
        try
        {
            await node.Gated.Open(session.Id, Page(Blue));
            var click = node.Gated.Act(new ActRequest { Session = session.Id, Action = "click", X = 10, Y = 10 });
            var pending = await Held(session.Id);

            await using (var browser = await ConsoleBrowser.SignIn(node.Gated.Orchestrator.ApiKey!))
            {
                // Sessions: the first Tab reaches the skip link; Enter on it, Tab to the session's link, Enter opens its page.
                var page = await browser.Context.NewPageAsync();
                await page.GotoAsync($"{node.Silo.AdminEndpoint}/console/sessions");
                await Assertions.Expect(page.Locator($"#sessions tr[data-id='{session.Id}'] td.state")).ToHaveTextAsync("Ready", new() { Timeout = 20_000 });
                await page.Keyboard.PressAsync("Tab");
                await Assertions.Expect(page.Locator("a.skip")).ToBeFocusedAsync();
                await ConsoleBrowser.AssertFocusVisible(page);
                await page.Keyboard.PressAsync("Enter");
                await ConsoleBrowser.TabTo(page, $"#sessions a[href='/console/sessions/{session.Id}']");
                await ConsoleBrowser.AssertFocusVisible(page);
                await page.Keyboard.PressAsync("Enter");
                // Asserted by the page's address, which the browser polls: a wait for the navigation's event
                // can miss one that lands between its check of the address and its listening, as it did once in CI.
                await Assertions.Expect(page).ToHaveURLAsync($"{node.Silo.AdminEndpoint}/console/sessions/{session.Id}", new() { Timeout = 30_000 });

                // Kill asks first: the question takes the focus; Escape puts it away, gives the focus back, and kills nothing.
                await Assertions.Expect(page.Locator("#state")).ToContainTextAsync("Ready");
                await ConsoleBrowser.TabTo(page, "#kill-ask");
                await ConsoleBrowser.AssertFocusVisible(page);
                await page.Keyboard.PressAsync("Enter");
                await Assertions.Expect(page.Locator("#kill-cancel")).ToBeFocusedAsync();
                await ConsoleBrowser.AssertFocusVisible(page);
                await ConsoleBrowser.Save(page, "session-kill-keyboard", ConsoleBrowser.Desktop);
                await page.Keyboard.PressAsync("Escape");
                await Assertions.Expect(page.Locator("#kill-confirm")).ToBeHiddenAsync();
                await Assertions.Expect(page.Locator("#kill-ask")).ToBeFocusedAsync();
                Assert.Equal("Ready", (await node.Gated.Orchestrator.Sessions.GetSessionAsync(new GetSessionRequest { Id = session.Id })).State);
            }

            await using (var browser = await ConsoleBrowser.SignIn(node.Gated.Approver.ApiKey!))
            {
                // Approvals: Tab reaches the card's Approve; its question takes the focus, Escape cancels it and gives the focus back.
                var page = await browser.Context.NewPageAsync();
                await page.GotoAsync($"{node.Silo.AdminEndpoint}/approvals/");
                var row = page.Locator($"#approvals tr[data-id='{pending}']");
                await Assertions.Expect(row.Locator("button.approve")).ToBeVisibleAsync(new() { Timeout = 30_000 });
                await ConsoleBrowser.TabTo(page, $"#approvals tr[data-id='{pending}'] button.approve");
                await ConsoleBrowser.AssertFocusVisible(page);
                await page.Keyboard.PressAsync("Enter");
                await Assertions.Expect(row.Locator("button.cancel")).ToBeFocusedAsync();
                await Assertions.Expect(row.Locator("button.confirm")).ToBeVisibleAsync();
                await ConsoleBrowser.AssertFocusVisible(page);
                await ConsoleBrowser.Save(page, "approvals-keyboard", ConsoleBrowser.Desktop);
                await page.Keyboard.PressAsync("Escape");
                await Assertions.Expect(row.Locator("button.confirm")).ToBeHiddenAsync();
                await Assertions.Expect(row.Locator("button.approve")).ToBeFocusedAsync();
                Assert.False(click.IsCompleted, "Escape approved the click");

                // Space asks again; Tab goes past Confirm to the comment, Shift+Tab comes back to Confirm, and Space approves.
                await page.Keyboard.PressAsync("Space");
                await Assertions.Expect(row.Locator("button.cancel")).ToBeFocusedAsync();
                await page.Keyboard.PressAsync("Tab");
                await Assertions.Expect(row.Locator("button.confirm")).ToBeFocusedAsync();
                await page.Keyboard.PressAsync("Tab");
                await Assertions.Expect(row.Locator("input.comment")).ToBeFocusedAsync();
                await page.Keyboard.TypeAsync("by keyboard");
                await page.Keyboard.PressAsync("Shift+Tab");
                await Assertions.Expect(row.Locator("button.confirm")).ToBeFocusedAsync();
                await ConsoleBrowser.AssertFocusVisible(page);
                await page.Keyboard.PressAsync("Space");
                await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("approved");
                var done = await click;
                var approval = await node.Gated.Approver.Approvals.GetApprovalAsync(new GetApprovalRequest { Id = done.ApprovalId });
                Assert.Equal(("approved", "by keyboard"), (approval.Status, approval.Note));
            }
        }
        finally
        {
            await node.Gated.Kill(session);
        }
    }

    private Task<Session> Get(string id) =>
        node.Main.Orchestrator.Sessions.GetSessionAsync(new GetSessionRequest { Id = id }).ResponseAsync;

    /// <summary>The approval the gate opened for the session's held click.</summary>
    private async Task<string> Held(string session)
    {
        var id = "";
        await Eventually.True(async () =>
        {
            var list = await node.Gated.Approver.Approvals.ListApprovalsAsync(new ListApprovalsRequest());
            id = list.Approvals.FirstOrDefault(a => a.Session == session)?.Id ?? "";
            return id.Length > 0;
        }, "the held click's approval");
        return id;
    }
}
