using System.Text.RegularExpressions;
using AgentCluster.Tests.Integration.Grains.Approvals;
using AgentCluster.Tests.Integration.Infrastructure;
using AgentCluster.Tests.Integration.Silo.Console;
using Microsoft.Playwright;

namespace AgentCluster.Tests.Integration.Client.Commands.Approvals;

/// <summary>
/// A key that reads approvals without the approver role is told it cannot decide, rather than shown an
/// empty list; the cluster admin sees every tenant's pending approvals, with their tenant, in agentctl and in
/// the console, and the console's deadlines name their time zone.
/// </summary>
[Collection(ApprovalNodeCollection.Name)]
public sealed partial class ApproverRoleTests(ApprovalNodeFixture node)
{
    [Fact]
    public async Task The_cluster_admin_lists_every_tenants_pending_approvals_and_is_told_it_cannot_decide()
    {
        await node.SetTimeout(TimeSpan.FromSeconds(300));
        var held = await node.Authorize((await node.NewSession()).Id, "db.delete_row", """{"id": 7}""");

        var run = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.AdminKey, "approvals", "list");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches($@"(?m)^{held.ApprovalId}\s+{node.Tenant}\s+ses_\w+\s+db\.delete_row\s+Irreversible\s", run.Stdout);
        Assert.Equal("agentctl: note: this key has no approver role: it sees pending approvals but cannot approve or deny them "
            + "(an approver's key: agentctl keys create --tenant NAME --role approver)", run.Stderr.Trim());

        var approver = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.ApproverKey, "approvals", "list");
        Assert.Equal((0, ""), (approver.ExitCode, approver.Stderr));
        Assert.Contains(held.ApprovalId, approver.Stdout, StringComparison.Ordinal);
        await node.Approver.Approvals.DenyAsync(new AgentCluster.Api.V1.DecideRequest { Id = held.ApprovalId, Note = "test over" });
    }

    [Fact]
    public async Task The_console_shows_the_cluster_admin_each_approvals_tenant_and_deadline_zone_and_no_buttons()
    {
        await node.SetTimeout(TimeSpan.FromSeconds(300));
        var held = await node.Authorize((await node.NewSession()).Id, "git.force_push", """{"branch": "main"}""");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await HeadlessChromium.LaunchAsync(playwright);
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ExtraHTTPHeaders = ConsoleBrowser.BasicHeader(node.AdminKey),
            TimezoneId = "Europe/Berlin",
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{node.Silo.AdminEndpoint}/");
        await page.ClickAsync("a[href='/approvals/']");

        var row = page.Locator($"tr[data-id='{held.ApprovalId}']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator("td.tenant")).ToHaveTextAsync(node.Tenant);
        await Assertions.Expect(row.Locator("td.deadline")).ToHaveTextAsync(Zone());
        Assert.Equal(0, await row.Locator("button").CountAsync());
        await Assertions.Expect(page.Locator("#readonly")).ToContainTextAsync("This key has no approver role");
        await Assertions.Expect(page.Locator("#key")).ToContainTextAsync("a cluster admin sees every tenant's approvals");
        await node.Approver.Approvals.DenyAsync(new AgentCluster.Api.V1.DecideRequest { Id = held.ApprovalId, Note = "test over" });
    }

    // Berlin is CET or CEST, whichever the date.
    [GeneratedRegex(@"\bGMT\+[12]\b|\bCES?T\b")]
    private static partial Regex Zone();
}
