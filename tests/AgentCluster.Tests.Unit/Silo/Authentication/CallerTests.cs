using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Authentication;
using Grpc.Core;

namespace AgentCluster.Tests.Unit.Silo.Authentication;

public sealed class CallerTests
{
    private static Caller Key(string tenant, params string[] roles) => new("key_0123456789abcdef", tenant, roles.ToHashSet());

    [Fact]
    public void Only_an_admin_of_the_system_tenant_is_a_cluster_admin()
    {
        Assert.True(Key(SystemTenant.Name, Roles.Admin).IsClusterAdmin);
        Assert.False(Key(SystemTenant.Name, Roles.Orchestrator, Roles.Auditor).IsClusterAdmin);
        Assert.False(Key("acme", Roles.Admin).IsClusterAdmin);
    }

    [Fact]
    public void A_tenant_key_acting_on_another_tenant_is_told_NotFound()
    {
        var acme = Key("acme", Roles.Admin);
        Assert.Equal("acme", acme.TenantFor(""));
        Assert.Equal("acme", acme.TenantFor("acme"));
        var e = Assert.Throws<RpcException>(() => acme.TenantFor("globex"));
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Equal("globex", Key(SystemTenant.Name, Roles.Admin).TenantFor("globex"));
    }

    [Fact]
    public void A_missing_role_is_PermissionDenied_naming_the_roles_needed()
    {
        var e = Assert.Throws<RpcException>(() => Key("acme", Roles.Orchestrator).Require(Roles.Admin, Roles.Auditor));
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Contains("admin or auditor", e.Status.Detail);
        Key("acme", Roles.Auditor).Require(Roles.Admin, Roles.Auditor);
    }
}
