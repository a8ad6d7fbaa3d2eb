using System.Text.Json;
using AgentCluster.Client.Output;
using AgentCluster.Client.Sdk;

namespace AgentCluster.Tests.Unit.Client.Output;

public sealed class JsonShapeTests
{
    private static readonly DateTimeOffset Created = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void A_tenant()
    {
        var tenant = new TenantInfo("acme", 5, TimeSpan.FromMinutes(30), ["agentcluster/sandbox:*"], Created)
        {
            ApprovalTimeout = TimeSpan.FromSeconds(300),
            RiskOverrides = new Dictionary<string, string> { ["browser.click"] = "Irreversible" },
            WebhookUrl = "https://hooks.example.com/…",
            MaxPendingApprovals = 5,
            DefaultNanoCpus = 500_000_000,
            MaxNanoCpus = 2_000_000_000,
        };

        using var json = Render(TenantView.From(tenant), TenantView.Render);

        var root = json.RootElement;
        Assert.Equal(["name", "maxSessions", "maxSessionTtl", "allowedImages", "createdAt", "allowedGrants", "maxGrantTtl",
            "approvalTimeout", "riskOverrides", "webhookUrl", "maxPendingApprovals", "defaultCpus", "maxCpus"], Names(root));
        Assert.Equal(5, root.GetProperty("maxPendingApprovals").GetInt32());
        Assert.Equal("0.5", root.GetProperty("defaultCpus").GetRawText());
        Assert.Equal("2", root.GetProperty("maxCpus").GetRawText());
        Assert.Equal("300", root.GetProperty("approvalTimeout").GetRawText());
        Assert.Equal("Irreversible", root.GetProperty("riskOverrides").GetProperty("browser.click").GetString());
        Assert.Equal("https://hooks.example.com/…", root.GetProperty("webhookUrl").GetString());
        Assert.Equal("acme", root.GetProperty("name").GetString());
        Assert.Equal(5, root.GetProperty("maxSessions").GetInt32());
        Assert.Equal("1800", root.GetProperty("maxSessionTtl").GetRawText());
        Assert.Equal("agentcluster/sandbox:*", root.GetProperty("allowedImages")[0].GetString());
        Assert.Equal("2025-01-02T03:04:05Z", root.GetProperty("createdAt").GetString());
    }

    [Fact]
    public void A_tenant_list()
    {
        var tenants = new[] { new TenantInfo("a", 1, null, [], null), new TenantInfo("b", 2, null, [], null) };

        using var json = Render(TenantListView.From(tenants), TenantListView.Render);

        Assert.Equal(["tenants"], Names(json.RootElement));
        Assert.Equal(2, json.RootElement.GetProperty("tenants").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("tenants")[0].GetProperty("maxSessionTtl").ValueKind);
    }

    [Fact]
    public void An_issued_key_carries_its_secret()
    {
        var issued = new IssuedApiKey(new ApiKeyInfo("key_0123456789abcdef", "acme", ["orchestrator", "approver"], Created, null), "s3cr3t");

        using var json = Render(IssuedKeyView.From(issued), IssuedKeyView.Render);

        var root = json.RootElement;
        Assert.Equal(["id", "tenant", "roles", "createdAt", "secret"], Names(root));
        Assert.Equal("s3cr3t", root.GetProperty("secret").GetString());
        Assert.Equal(2, root.GetProperty("roles").GetArrayLength());
    }

    [Fact]
    public void A_key_list_never_has_secrets_and_shows_revocation()
    {
        var keys = new[]
        {
            new ApiKeyInfo("key_1", "acme", ["admin"], Created, null),
            new ApiKeyInfo("key_2", "acme", ["auditor"], Created, Created.AddHours(1)),
        };

        using var json = Render(KeyListView.From(keys), KeyListView.Render);

        var list = json.RootElement.GetProperty("keys");
        Assert.Equal(["keys"], Names(json.RootElement));
        Assert.Equal(["id", "tenant", "roles", "createdAt", "revokedAt"], Names(list[0]));
        Assert.Equal(JsonValueKind.Null, list[0].GetProperty("revokedAt").ValueKind);
        Assert.Equal("2025-01-02T04:04:05Z", list[1].GetProperty("revokedAt").GetString());
    }

    [Fact]
    public void Cluster_status()
    {
        var silo = new SiloInfo("127.0.0.1:11111", "Active", "silo-1", "host-a", Created, Created, 30000);

        using var json = Render(ClusterStatusView.From([silo]), ClusterStatusView.Render);

        var first = json.RootElement.GetProperty("silos")[0];
        Assert.Equal(["silos"], Names(json.RootElement));
        Assert.Equal(["address", "status", "name", "hostName", "startedAt", "iAmAliveAt", "gatewayPort"], Names(first));
        Assert.Equal("127.0.0.1:11111", first.GetProperty("address").GetString());
        Assert.Equal("Active", first.GetProperty("status").GetString());
    }

    [Fact]
    public void Human_output_is_not_json()
    {
        using var stdout = new StringWriter();
        new CommandOutput(stdout, json: false).Write(
            ClusterStatusView.From([new SiloInfo("127.0.0.1:11111", "Dead", "s", "h", null, null, 0)]),
            ClusterStatusView.Render);

        Assert.StartsWith("ADDRESS", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("Dead", stdout.ToString(), StringComparison.Ordinal);
    }

    private static JsonDocument Render<T>(T view, Action<T, TextWriter> human)
    {
        using var stdout = new StringWriter();
        new CommandOutput(stdout, json: true).Write(view, human);
        return JsonDocument.Parse(stdout.ToString());
    }

    private static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];
}
