using System.Net;
using System.Net.Http.Headers;
using System.Runtime.Versioning;
using System.Text;
using AgentCluster.Api.V1;

namespace AgentCluster.Tests.Integration.Silo.Admin;

public sealed class AdminPortTests(SqliteNodeFixture node) : IClassFixture<SqliteNodeFixture>
{
    private static HttpClient Http(AuthenticationHeaderValue? auth = null)
    {
        var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = auth;
        return http;
    }

    private static AuthenticationHeaderValue Basic(string key) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + key)));

    [Fact]
    public async Task The_dashboard_without_the_admin_key_is_401_and_asks_for_credentials()
    {
        using var http = Http();
        var response = await http.GetAsync($"{node.Silo.AdminEndpoint}/dashboard/");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString());

        using var wrong = Http(new AuthenticationHeaderValue("Bearer", "agk_wrong"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync($"{node.Silo.AdminEndpoint}/dashboard/")).StatusCode);
    }

    [Fact]
    public async Task The_dashboard_refuses_a_tenant_key_and_serves_the_cluster_admin()
    {
        using var clients = node.Clients(node.AdminKey);
        await clients.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = "dash-a" });
        var tenantAdmin = await clients.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = "dash-a", Roles = { "admin" } });

        using var tenant = Http(Basic(tenantAdmin.Secret));
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.GetAsync($"{node.Silo.AdminEndpoint}/dashboard/")).StatusCode);

        using var admin = Http(Basic(node.AdminKey));
        var page = await admin.GetAsync($"{node.Silo.AdminEndpoint}/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Healthz_and_prometheus_metrics_answer_on_the_admin_port_only()
    {
        using var http = Http();
        Assert.Equal("Healthy", await http.GetStringAsync($"{node.Silo.AdminEndpoint}/healthz"));
        var metrics = await http.GetStringAsync($"{node.Silo.AdminEndpoint}/metrics");
        Assert.Contains("# TYPE", metrics);
        Assert.Contains("orleans", metrics);
    }

    [Fact]
    [SupportedOSPlatform("linux")]
    public void The_bootstrap_admin_key_file_is_private_to_its_owner()
    {
        var mode = File.GetUnixFileMode(Path.Combine(node.DataDir, "admin.key"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        Assert.StartsWith("agk_", node.AdminKey);
    }
}
