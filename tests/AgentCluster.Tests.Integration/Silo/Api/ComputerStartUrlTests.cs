using AgentCluster.Api.V1;
using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AgentCluster.Tests.Integration.Silo.Api;

/// <summary>
/// A desktop session's start URL on a real node: the browser starts on it with no navigate, and it
/// is checked as a navigate is (scheme, allowlist, the tenant's gate) before anything is launched.
/// </summary>
[Collection(ComputerNodeCollection.Name)]
public sealed class ComputerStartUrlTests(ComputerNodeFixture node)
{
    private static readonly (byte, byte, byte) Green = (0, 200, 0);
    private const string GreenPage = "data:text/html,<body style=\"margin:0;background:rgb(0,200,0)\"><h1>start</h1></body>";

    private CreateSessionRequest Desktop(string startUrl, params string[] allowHosts) => new()
    {
        Image = node.DesktopImage, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(10)), StartUrl = startUrl, AllowHosts = { allowHosts },
    };

    [Fact]
    public async Task A_desktop_created_with_a_start_url_shows_that_page_without_a_navigate_and_audits_it()
    {
        var desk = node.Main;
        var session = await desk.Orchestrator.Sessions.CreateSessionAsync(Desktop(GreenPage));
        try
        {
            Assert.True(session.State == "Ready", $"the session is {session.State}: {session.Reason}");
            await desk.WaitForColour(session.Id, 1000, 600, Green, "the start URL's green page");

            // The first row of the session's computer, before the screenshots that waited for the page.
            var rows = await desk.ComputerRows(session.Id);
            Assert.Single(rows, r => r.Detail.GetProperty("action").GetString() == "navigate");
            var (outcome, detail) = rows[0];
            Assert.Equal(("success", "navigate", "browser.navigate", "Reversible"), (outcome, detail.GetProperty("action").GetString(),
                detail.GetProperty("gate").GetString(), detail.GetProperty("risk").GetString()));
            Assert.Equal(GreenPage.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), detail.GetProperty("url_length").GetString());
        }
        finally
        {
            await desk.Kill(session);
        }
    }

    [Theory]
    [InlineData("http://shop.example/", "is not on the session's allowlist")]
    [InlineData("HTTP://127.0.0.2:9/", "is not on the session's allowlist")]
    [InlineData("http://127.0.0.1:9@shop.example/", "no user name, password or backslash")]
    [InlineData("http:\\\\shop.example\\", "no user name, password or backslash")]
    [InlineData("javascript:document.body.innerHTML='x'", "not javascript:")]
    [InlineData("file:///etc/passwd", "not file:")]
    [InlineData("chrome://settings", "not chrome:")]
    [InlineData("http://127.0.0.1:9/\n--remote-debugging-port=9222", "control characters")]
    [InlineData("--remote-debugging-port=9222", "absolute URL")]
    public async Task A_start_url_a_navigate_could_not_take_is_refused_before_anything_is_launched(string startUrl, string why)
    {
        var before = await DockerHosts.CountEverywhere(SandboxLabels.Tenant + "=" + node.Main.Name);

        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            node.Main.Orchestrator.Sessions.CreateSessionAsync(Desktop(startUrl, "127.0.0.1:9")).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains(why, refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(before, await DockerHosts.CountEverywhere(SandboxLabels.Tenant + "=" + node.Main.Name));
    }

    [Fact]
    public async Task A_start_url_for_an_image_with_no_browser_is_refused()
    {
        var request = Desktop(GreenPage);
        request.Image = DockerHosts.Image;

        var refused = await Assert.ThrowsAsync<RpcException>(() => node.Main.Orchestrator.Sessions.CreateSessionAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("start url needs a desktop image", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tenant_whose_gate_holds_navigate_cannot_skip_it_with_a_start_url()
    {
        using var strict = await node.Tenant("nav");
        await node.Admin.Tenants.UpdateTenantAsync(new UpdateTenantRequest
        {
            Name = strict.Name, RiskOverrides = { ["browser.navigate"] = "Irreversible" }, ReplaceRiskOverrides = true,
        });

        var refused = await Assert.ThrowsAsync<RpcException>(() => strict.Orchestrator.Sessions.CreateSessionAsync(Desktop(GreenPage)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("makes browser.navigate Irreversible", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await DockerHosts.CountEverywhere(SandboxLabels.Tenant + "=" + strict.Name));
    }
}
