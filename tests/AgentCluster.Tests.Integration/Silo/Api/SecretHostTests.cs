using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using Grpc.Core;

namespace AgentCluster.Tests.Integration.Silo.Api;

/// <summary>
/// Where a secret may be sent: a wildcard host only by a cluster admin, and never a pattern that
/// covers a public suffix, whose names belong to strangers.
/// </summary>
public sealed class SecretHostTests(SqliteNodeFixture node) : IClassFixture<SqliteNodeFixture>
{
    private readonly string _tenant = $"sh-{Guid.NewGuid():N}"[..14];

    private PutSecretRequest Put(string host) => new()
    {
        Tenant = _tenant, Resource = "api", Hosts = { "api.example.com", host }, Actions = { "read" },
        Header = "Authorization", Format = "Bearer {secret}", Value = "sk_test_value_1234",
    };

    private async Task<(ApiClients Admin, ApiClients TenantAdmin)> Keys()
    {
        var admin = node.Clients(node.AdminKey);
        await admin.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = _tenant });
        var key = await admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = _tenant, Roles = { "admin" } });
        return (admin, node.Clients(key.Secret));
    }

    [Fact]
    public async Task A_tenant_admin_gets_permission_denied_for_a_wildcard_host_and_nothing_is_stored()
    {
        var (admin, tenantAdmin) = await Keys();
        using var _ = admin;
        using var __ = tenantAdmin;

        var refused = await Assert.ThrowsAsync<RpcException>(() => tenantAdmin.Secrets.PutSecretAsync(Put("*.example.com")).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("*.example.com", refused.Status.Detail);
        Assert.Contains("cluster admin", refused.Status.Detail);
        Assert.Empty((await admin.Secrets.ListSecretsAsync(new ListSecretsRequest { Tenant = _tenant })).Secrets);

        // Exact hosts stay the tenant's own business; a wildcard is the cluster admin's.
        await tenantAdmin.Secrets.PutSecretAsync(Put("www.example.com"));
        var stored = await admin.Secrets.PutSecretAsync(Put("*.example.com"));
        Assert.Equal(["api.example.com", "*.example.com"], stored.Hosts);
    }

    [Theory]
    [InlineData("*.com")]
    [InlineData("*.co.uk")]
    [InlineData("*.github.io")]
    [InlineData("*.herokuapp.com")]
    [InlineData("*.amazonaws.com")]
    public async Task A_pattern_that_covers_a_public_suffix_is_invalid_even_for_a_cluster_admin(string host)
    {
        var (admin, tenantAdmin) = await Keys();
        using var _ = admin;
        using var __ = tenantAdmin;

        var refused = await Assert.ThrowsAsync<RpcException>(() => admin.Secrets.PutSecretAsync(Put(host)).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains(host, refused.Status.Detail);
        Assert.Contains("public suffix", refused.Status.Detail);
        Assert.Empty((await admin.Secrets.ListSecretsAsync(new ListSecretsRequest { Tenant = _tenant })).Secrets);
    }
}
