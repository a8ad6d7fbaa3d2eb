using System.Text.Json;
using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Silo.Api;

public sealed class AuditApiTests(SqliteNodeFixture node) : IClassFixture<SqliteNodeFixture>
{
    [Fact]
    public async Task Administration_is_audited_and_a_tenant_auditor_reads_only_its_own_chain()
    {
        using var admin = node.Clients(node.AdminKey);
        await admin.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = "audited-a" });
        await admin.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = "audited-b" });
        var auditorA = await admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = "audited-a", Roles = { "auditor" } });
        var orchestratorB = await admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = "audited-b", Roles = { "orchestrator" } });
        await admin.Keys.RevokeKeyAsync(new RevokeKeyRequest { Id = orchestratorB.Key.Id });

        var tail = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.AdminKey, "audit", "tail", "--kind", "key.*", "--limit", "50", "--json");
        Assert.True(tail.ExitCode == 0, tail.Stderr);
        var records = JsonDocument.Parse(tail.Stdout).RootElement.GetProperty("records").EnumerateArray().ToList();
        Assert.Contains(records, r => r.GetProperty("kind").GetString() == "key.created" && r.GetProperty("subject").GetString() == auditorA.Key.Id);
        Assert.Contains(records, r => r.GetProperty("kind").GetString() == "key.revoked" && r.GetProperty("subject").GetString() == orchestratorB.Key.Id);
        Assert.All(records, r => Assert.StartsWith("key.", r.GetProperty("kind").GetString()));

        var export = await Agentctl.RunAsync(node.Silo.ApiEndpoint, auditorA.Secret, "audit", "export", "--format", "jsonl");
        Assert.True(export.ExitCode == 0, export.Stderr);
        var lines = export.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Equal("audited-a", JsonDocument.Parse(l).RootElement.GetProperty("tenant").GetString()));
        Assert.Contains(lines, l => l.Contains("tenant.created", StringComparison.Ordinal));

        var other = await Agentctl.RunAsync(node.Silo.ApiEndpoint, auditorA.Secret, "audit", "export", "--tenant", "audited-b");
        Assert.Equal(5, other.ExitCode);

        var verify = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.AdminKey, "audit", "verify");
        Assert.True(verify.ExitCode == 0, verify.Stderr);
        Assert.Contains("audited-a", verify.Stdout);
        Assert.Contains("system", verify.Stdout);
    }

    [Fact]
    public async Task An_orchestrator_key_cannot_read_the_audit()
    {
        using var admin = node.Clients(node.AdminKey);
        await admin.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = "audited-c" });
        var orchestrator = await admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = "audited-c", Roles = { "orchestrator" } });

        var result = await Agentctl.RunAsync(node.Silo.ApiEndpoint, orchestrator.Secret, "audit", "head");
        Assert.Equal(4, result.ExitCode);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
