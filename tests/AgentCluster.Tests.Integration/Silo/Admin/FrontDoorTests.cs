using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AgentCluster.Api.V1;

namespace AgentCluster.Tests.Integration.Silo.Admin;

/// <summary>
/// <c>/</c> on the admin port: a 401 that says how to sign in, then a page of what the key may open,
/// and the console saying who is signed in and whether the key may decide.
/// </summary>
public sealed class FrontDoorTests(SqliteNodeFixture node) : IClassFixture<SqliteNodeFixture>
{
    [Fact]
    public async Task Without_a_key_the_front_door_asks_for_one_and_says_how_to_sign_in()
    {
        using var http = new HttpClient();
        foreach (var path in new[] { "/", "/approvals/", "/dashboard/" })
        {
            var response = await http.GetAsync(node.Silo.AdminEndpoint + path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            var body = await response.Content.ReadAsStringAsync();
            Assert.StartsWith("401 Unauthorized. Sign in to the console at /signin with an API key", body, StringComparison.Ordinal);
            Assert.Contains("./data/admin.key", body, StringComparison.Ordinal);
        }

        using var wrong = Client("agk_not_a_key");
        Assert.Contains("The API key given is unknown or revoked.", await (await wrong.GetAsync(node.Silo.AdminEndpoint + "/")).Content.ReadAsStringAsync(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cluster_admin_is_led_to_the_console_and_the_dashboard()
    {
        using var http = Client(node.AdminKey);
        var page = await http.GetStringAsync(node.Silo.AdminEndpoint + "/");

        Assert.Contains("<a href=\"/approvals/\">Approvals: see held actions (this key has no approver role, so it cannot decide them)</a>", page,
            StringComparison.Ordinal);
        Assert.Contains("<a href=\"/dashboard/\">", page, StringComparison.Ordinal);
        Assert.Contains("tenant system; roles admin", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(node.Silo.AdminEndpoint + "/approvals/")).StatusCode);

        using var me = JsonDocument.Parse(await http.GetStringAsync(node.Silo.AdminEndpoint + "/approvals/api/me"));
        Assert.False(me.RootElement.GetProperty("canDecide").GetBoolean());
        Assert.True(me.RootElement.GetProperty("clusterAdmin").GetBoolean());
    }

    [Fact]
    public async Task An_approver_is_led_to_decide_and_an_orchestrator_is_told_what_it_lacks()
    {
        var tenant = $"fd-{Guid.NewGuid():N}"[..14];
        using var admin = node.Clients(node.AdminKey);
        await admin.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = tenant });
        var approver = await admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = tenant, Roles = { "approver" } });
        var orchestrator = await admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = tenant, Roles = { "orchestrator" } });

        using var asApprover = Client(approver.Secret);
        var approverPage = await asApprover.GetStringAsync(node.Silo.AdminEndpoint + "/");
        Assert.Contains("<a href=\"/approvals/\">Approvals: decide held actions</a>", approverPage, StringComparison.Ordinal);
        Assert.DoesNotContain("/dashboard/", approverPage, StringComparison.Ordinal);

        using var asOrchestrator = Client(orchestrator.Secret);
        var orchestratorPage = await asOrchestrator.GetStringAsync(node.Silo.AdminEndpoint + "/");
        Assert.DoesNotContain("href=\"/approvals/\"", orchestratorPage, StringComparison.Ordinal);
        Assert.Contains("Approvals need a key with the approver, admin or auditor role.", orchestratorPage, StringComparison.Ordinal);
        var forbidden = await asOrchestrator.GetAsync(node.Silo.AdminEndpoint + "/approvals/");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("/ lists the pages it may see", await forbidden.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static HttpClient Client(string key)
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("me:" + key)));
        return http;
    }
}
