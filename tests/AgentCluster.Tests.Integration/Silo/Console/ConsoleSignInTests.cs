using System.Net;
using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Grains.Approvals;
using AgentCluster.Tests.Integration.Infrastructure;
using Microsoft.Playwright;

namespace AgentCluster.Tests.Integration.Silo.Console;

/// <summary>
/// The console's sign-in page and cookie in Debian's headless Chromium, with no HTTP credentials at
/// all, and at the wire: the cookie's attributes, the anti-forgery token on every state change,
/// sign-out and a revoked key ending a sign-in, and no open redirect.
/// </summary>
[Collection(ApprovalNodeCollection.Name)]
public sealed class ConsoleSignInTests(ApprovalNodeFixture node)
{
    private async Task<(string Session, string ApprovalId)> Held(string payload)
    {
        await node.SetTimeout(TimeSpan.FromSeconds(300));
        var session = await node.NewSession();
        return (session.Id, (await node.Authorize(session.Id, "stripe.charge", payload)).ApprovalId);
    }

    private Task<Approval> Approval(string id) => node.Approver.Approvals.GetApprovalAsync(new GetApprovalRequest { Id = id }).ResponseAsync;

    [Fact]
    public async Task Signing_in_through_the_form_sets_an_httponly_strict_cookie_the_page_approves_with_and_sign_out_ends_it()
    {
        var (_, approvalId) = await Held("""{"amount": 4100}""");
        await using var browser = await ConsoleBrowser.Anonymous();
        var page = await browser.Context.NewPageAsync();

        await ConsoleBrowser.SignInThroughForm(page, node.Silo.AdminEndpoint, node.ApproverKey, "/approvals/");
        Assert.Equal($"{node.Silo.AdminEndpoint}/approvals/", page.Url);

        var cookie = Assert.Single(await browser.Context.CookiesAsync());
        Assert.Equal(CookieHttp.CookieName, cookie.Name);
        Assert.True(cookie.HttpOnly, "the sign-in cookie is readable by script");
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/", cookie.Path);
        Assert.False(cookie.Secure, "over plain HTTP on loopback the cookie cannot be Secure");
        Assert.True(cookie.Expires > DateTimeOffset.UtcNow.AddHours(7).ToUnixTimeSeconds(), "the cookie does not last the sign-in's 8 hours");
        Assert.DoesNotContain(CookieHttp.CookieName, await page.EvaluateAsync<string>("() => document.cookie"), StringComparison.Ordinal);
        Assert.DoesNotContain(cookie.Value, await page.ContentAsync(), StringComparison.Ordinal);

        // Signed in by cookie, the bar offers Sign out; the page is as accessible as the others.
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        Assert.Empty(await ConsoleBrowser.SeriousViolations(page));
        await ConsoleBrowser.Save(page, "approvals-signed-in", ConsoleBrowser.Desktop);

        // A state change from the page: Approve, then Confirm approve.
        var row = page.Locator($"tr[data-id='{approvalId}']");
        await row.Locator("button.approve").ClickAsync();
        await row.Locator("button.confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("approved");
        Assert.Equal("approved", (await Approval(approvalId)).Status);

        var rows = await node.AuditRows();
        var signedIn = rows.Where(r => r.Kind == "console.signed_in" && r.Outcome == "success").ToList();
        Assert.NotEmpty(signedIn);
        Assert.DoesNotContain(rows, r => r.Detail.Contains(cookie.Value, StringComparison.Ordinal) || r.Detail.Contains(node.ApproverKey, StringComparison.Ordinal));

        await page.ClickAsync("#signout");
        await Assertions.Expect(page).ToHaveURLAsync($"{node.Silo.AdminEndpoint}/signin");
        Assert.Empty(await browser.Context.CookiesAsync());
        Assert.Contains(await node.AuditRows(), r => r.Kind == "console.signed_out" && r.Outcome == "success");

        // The same cookie, sent again by hand, opens nothing: the sign-in is gone from the cluster, not just from the browser.
        using var http = new CookieHttp(node.Silo.AdminEndpoint);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.Send(HttpMethod.Get, "/approvals/api/pending", cookie.Value)).StatusCode);
        var again = await http.Send(HttpMethod.Get, "/approvals/", cookie.Value, accept: "text/html");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("/signin?return=%2Fapprovals%2F", again.Headers.Location!.OriginalString);
        Assert.Contains(again.Headers.GetValues("Set-Cookie"), c => c.StartsWith("agc_console=;", StringComparison.Ordinal));
        Assert.DoesNotContain(await BrokerAudit.EveryCell(node.DataDir), c => c.Contains(cookie.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_state_change_with_the_cookie_but_without_its_anti_forgery_token_is_403_and_changes_nothing()
    {
        var (_, approvalId) = await Held("""{"amount": 4200}""");
        using var http = new CookieHttp(node.Silo.AdminEndpoint);
        var (cookie, _) = await http.SignIn(node.ApproverKey);
        var approve = $"/approvals/api/{approvalId}/approve";

        Assert.Equal(HttpStatusCode.Forbidden, (await http.Send(HttpMethod.Post, approve, cookie, intent: true)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.Send(HttpMethod.Post, approve, cookie, intent: true, csrf: "not-the-token")).StatusCode);
        var token = await http.Csrf(cookie, "/approvals/");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.Send(HttpMethod.Post, approve, cookie, intent: false, csrf: token)).StatusCode);
        // Another sign-in's token is no good either: each browser has its own.
        var (otherCookie, _) = await http.SignIn(node.ApproverKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.Send(HttpMethod.Post, approve, cookie, intent: true, csrf: await http.Csrf(otherCookie))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.Send(HttpMethod.Post, "/signout", cookie, intent: true)).StatusCode);
        Assert.Equal("pending", (await Approval(approvalId)).Status);

        // With both guards it goes through: the token is what was missing.
        Assert.Equal(HttpStatusCode.OK, (await http.Send(HttpMethod.Post, approve, cookie, intent: true, csrf: token)).StatusCode);
        Assert.Equal("approved", (await Approval(approvalId)).Status);
        Assert.Equal(HttpStatusCode.OK, (await http.Send(HttpMethod.Post, "/signout", cookie, intent: true, csrf: token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.Send(HttpMethod.Get, "/approvals/api/pending", cookie)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.Send(HttpMethod.Get, "/approvals/api/pending", otherCookie)).StatusCode);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_out_loud_and_sets_no_cookie_and_a_sign_in_without_the_intent_header_is_refused()
    {
        await using var browser = await ConsoleBrowser.Anonymous();
        var page = await browser.Context.NewPageAsync();
        await page.GotoAsync($"{node.Silo.AdminEndpoint}/signin");
        await page.GetByLabel("API key").FillAsync("agk_not-a-key-at-all");
        await page.Keyboard.PressAsync("Enter");
        var alert = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(alert).ToContainTextAsync("unknown or revoked");
        await Assertions.Expect(page.GetByLabel("API key")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByLabel("API key")).ToBeFocusedAsync();
        Assert.Equal($"{node.Silo.AdminEndpoint}/signin", page.Url);
        Assert.Empty(await browser.Context.CookiesAsync());
        Assert.Contains(await BrokerAudit.Rows(node.DataDir, "system"), r => r is { Kind: "console.signed_in", Outcome: "denied" });

        using var http = new CookieHttp(node.Silo.AdminEndpoint);
        var forged = await http.PostSignIn(node.ApproverKey, intent: false);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Null(CookieHttp.SetCookie(forged));
    }

    [Fact]
    public async Task A_revoked_keys_cookie_is_refused_at_once()
    {
        var created = await node.Admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = node.Tenant, Roles = { "approver" } });
        using var http = new CookieHttp(node.Silo.AdminEndpoint);
        var (cookie, _) = await http.SignIn(created.Secret);
        Assert.Equal(HttpStatusCode.OK, (await http.Send(HttpMethod.Get, "/approvals/api/pending", cookie)).StatusCode);

        await node.Admin.Keys.RevokeKeyAsync(new RevokeKeyRequest { Id = created.Key.Id });

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.Send(HttpMethod.Get, "/approvals/api/pending", cookie)).StatusCode);
        var page = await http.Send(HttpMethod.Get, "/console/sessions", cookie, accept: "text/html");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/signin?return=%2Fconsole%2Fsessions", page.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_page_without_credentials_goes_to_the_sign_in_page_and_a_hostile_return_stays_on_site()
    {
        using var http = new CookieHttp(node.Silo.AdminEndpoint);
        var page = await http.Send(HttpMethod.Get, "/console/sessions?state=Ready", null, accept: "text/html,application/xhtml+xml");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/signin?return=%2Fconsole%2Fsessions%3Fstate%3DReady", page.Headers.Location!.OriginalString);
        // A script, or a fetch, hears 401 as before.
        var api = await http.Send(HttpMethod.Get, "/console/api/sessions", null, accept: "application/json");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Contains("Basic", api.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        foreach (var hostile in new[] { "//evil.example", "https://evil.example/", "/\\evil.example", "///evil.example" })
        {
            var (_, next) = await http.SignIn(node.ApproverKey, hostile);
            Assert.Equal("/", next);
        }

        await using var browser = await ConsoleBrowser.Anonymous();
        var tab = await browser.Context.NewPageAsync();
        await tab.GotoAsync($"{node.Silo.AdminEndpoint}/signin?return=%2F%2Fevil.example");
        await tab.GetByLabel("API key").FillAsync(node.ApproverKey);
        await tab.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(tab).ToHaveURLAsync($"{node.Silo.AdminEndpoint}/");
        await Assertions.Expect(tab.Locator("main h1")).ToHaveTextAsync("AgentCluster");
    }

    [Fact]
    public async Task The_sign_in_page_keeps_the_consoles_headers_passes_axe_and_is_saved_at_both_widths()
    {
        using var http = new CookieHttp(node.Silo.AdminEndpoint);
        var response = await http.Send(HttpMethod.Get, "/signin", null, accept: "text/html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("agc-csrf", html, StringComparison.Ordinal);

        foreach (var size in new[] { ConsoleBrowser.Desktop, ConsoleBrowser.Phone })
        {
            await using var browser = await ConsoleBrowser.Anonymous(size);
            var page = await browser.Context.NewPageAsync();
            await page.GotoAsync($"{node.Silo.AdminEndpoint}/signin");
            // Keyboard only: the skip link, then the key field, then the button.
            await ConsoleBrowser.TabTo(page, "#signin-button");
            await ConsoleBrowser.AssertFocusVisible(page);
            Assert.Empty(await ConsoleBrowser.SeriousViolations(page));
            Assert.Empty(await ConsoleBrowser.SidewaysScroll(page, regions: false));
            await ConsoleBrowser.Save(page, "signin", size);

            await page.GetByLabel("API key").FillAsync("agk_wrong");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("unknown or revoked");
            Assert.Empty(await ConsoleBrowser.SeriousViolations(page));
            await ConsoleBrowser.Save(page, "signin-refused", size);
        }
    }
}
