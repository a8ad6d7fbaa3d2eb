using AgentCluster.Api.V1;
using Grpc.Core;

namespace AgentCluster.Tests.Integration.Silo.Authentication;

public sealed class AuthorizationTests(SqliteNodeFixture node) : IClassFixture<SqliteNodeFixture>
{
    private async Task<string> NewTenantKey(string tenant, params string[] roles)
    {
        using var admin = node.Clients(node.AdminKey);
        try { await admin.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = tenant }); }
        catch (RpcException e) when (e.StatusCode == StatusCode.AlreadyExists) { }
        var key = await admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = tenant, Roles = { roles } });
        return key.Secret;
    }

    [Fact]
    public async Task No_key_and_a_wrong_key_get_Unauthenticated()
    {
        using var none = node.Clients(null);
        var e1 = await Assert.ThrowsAsync<RpcException>(() => none.Tenants.ListTenantsAsync(new()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, e1.StatusCode);

        using var wrong = node.Clients("agk_not-a-real-key");
        var e2 = await Assert.ThrowsAsync<RpcException>(() => wrong.Tenants.ListTenantsAsync(new()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, e2.StatusCode);
    }

    [Fact]
    public async Task A_key_without_the_role_gets_PermissionDenied_and_changes_nothing()
    {
        var orchestrator = await NewTenantKey("perm-a", "orchestrator");
        using var client = node.Clients(orchestrator);

        var create = await Assert.ThrowsAsync<RpcException>(
            () => client.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = "perm-sneaky" }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, create.StatusCode);
        var keys = await Assert.ThrowsAsync<RpcException>(
            () => client.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = "perm-a", Roles = { "admin" } }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, keys.StatusCode);

        using var admin = node.Clients(node.AdminKey);
        var missing = await Assert.ThrowsAsync<RpcException>(
            () => admin.Tenants.GetTenantAsync(new GetTenantRequest { Name = "perm-sneaky" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Another_tenants_key_gets_NotFound_for_everything_of_this_tenant()
    {
        var adminOfA = await NewTenantKey("iso-a", "admin");
        var adminOfB = await NewTenantKey("iso-b", "admin");
        using var b = node.Clients(adminOfB);
        using var a = node.Clients(adminOfA);

        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(
            () => b.Tenants.GetTenantAsync(new GetTenantRequest { Name = "iso-a" }).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(
            () => b.Keys.ListKeysAsync(new ListKeysRequest { Tenant = "iso-a" }).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(
            () => b.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = "iso-a", Roles = { "admin" } }).ResponseAsync)).StatusCode);

        var aKeys = await a.Keys.ListKeysAsync(new ListKeysRequest { Tenant = "iso-a" });
        var aKeyId = aKeys.Keys[0].Id;
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(
            () => b.Keys.RevokeKeyAsync(new RevokeKeyRequest { Id = aKeyId }).ResponseAsync)).StatusCode);
        Assert.Null((await a.Keys.ListKeysAsync(new ListKeysRequest { Tenant = "iso-a" })).Keys[0].RevokedAt);

        var listed = await b.Tenants.ListTenantsAsync(new());
        Assert.Equal(["iso-b"], listed.Tenants.Select(t => t.Name));
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once()
    {
        var key = await NewTenantKey("revoke-a", "admin");
        using var client = node.Clients(key);
        var own = await client.Keys.ListKeysAsync(new ListKeysRequest { Tenant = "revoke-a" });
        Assert.Equal("revoke-a", (await client.Tenants.GetTenantAsync(new GetTenantRequest { Name = "revoke-a" })).Name);

        using var admin = node.Clients(node.AdminKey);
        foreach (var k in own.Keys)
            await admin.Keys.RevokeKeyAsync(new RevokeKeyRequest { Id = k.Id });

        var e = await Assert.ThrowsAsync<RpcException>(
            () => client.Tenants.GetTenantAsync(new GetTenantRequest { Name = "revoke-a" }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Fact]
    public async Task Bad_input_is_InvalidArgument_and_creates_nothing()
    {
        using var admin = node.Clients(node.AdminKey);
        foreach (var bad in new[] { "", "Upper", "-lead", "system", new string('a', 64), "sp ace" })
        {
            var e = await Assert.ThrowsAsync<RpcException>(
                () => admin.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = bad }).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        }
        var badRole = await Assert.ThrowsAsync<RpcException>(
            () => admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = "system", Roles = { "root" } }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, badRole.StatusCode);

        var names = (await admin.Tenants.ListTenantsAsync(new())).Tenants.Select(t => t.Name);
        Assert.DoesNotContain("Upper", names);
        Assert.DoesNotContain("sp ace", names);
    }
}
