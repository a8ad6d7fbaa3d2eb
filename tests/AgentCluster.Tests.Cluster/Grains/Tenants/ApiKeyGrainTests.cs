using AgentCluster.Grains.Tenants;

namespace AgentCluster.Tests.Cluster.Grains.Tenants;

[Collection(ClusterCollection.Name)]
public sealed class ApiKeyGrainTests(ClusterFixture fixture)
{
    private async Task<(ITenantGrain Tenant, string Key, ApiKeyInfo Info)> NewKey(params string[] roles)
    {
        var tenant = fixture.Grains.GetGrain<ITenantGrain>($"k-{Guid.NewGuid():N}"[..20]);
        await tenant.Create(TenantQuotas.Default);
        var key = ApiKeyId.NewKey();
        return (tenant, key, await tenant.AddKey(ApiKeyId.Hash(key), [.. roles]));
    }

    [Fact]
    public async Task The_right_key_authenticates_with_its_tenant_and_roles_and_a_wrong_one_does_not()
    {
        var (tenant, key, info) = await NewKey(Roles.Orchestrator, Roles.Auditor);
        var hash = ApiKeyId.Hash(key);
        var grain = fixture.Grains.GetGrain<IApiKeyGrain>(info.Id);

        var ok = await grain.Authenticate(hash);
        Assert.NotNull(ok);
        Assert.Equal(tenant.GetPrimaryKeyString(), ok.Tenant);
        Assert.Equal([Roles.Orchestrator, Roles.Auditor], ok.Roles.ToArray());

        var wrong = ApiKeyId.Hash(key + "x");
        Assert.Null(await grain.Authenticate(wrong));
        Assert.StartsWith("key_", info.Id);
        Assert.DoesNotContain(key, info.Id);
    }

    [Fact]
    public async Task A_revoked_key_stops_authenticating_and_stays_listed_as_revoked()
    {
        var (tenant, key, info) = await NewKey(Roles.Admin);
        var grain = fixture.Grains.GetGrain<IApiKeyGrain>(info.Id);

        var revoked = await grain.Revoke();
        Assert.NotNull(revoked?.RevokedAt);
        Assert.Null(await grain.Authenticate(ApiKeyId.Hash(key)));
        var listed = Assert.Single(await tenant.ListKeys());
        Assert.Equal(info.Id, listed.Id);
        Assert.NotNull(listed.RevokedAt);
    }

    [Fact]
    public async Task Only_one_of_many_concurrent_bootstrap_claims_wins()
    {
        var system = fixture.Grains.GetGrain<ITenantGrain>($"sys-{Guid.NewGuid():N}"[..20]);
        var keys = Enumerable.Range(0, 8).Select(_ => ApiKeyId.NewKey()).ToList();

        var wins = await Task.WhenAll(keys.Select(k => system.ClaimBootstrapKey(ApiKeyId.Hash(k))));

        Assert.Equal(1, wins.Count(w => w));
        var winner = keys[Array.IndexOf(wins, true)];
        Assert.True(await system.ClaimBootstrapKey(ApiKeyId.Hash(winner)));
        var listed = Assert.Single(await system.ListKeys());
        Assert.Equal([Roles.Admin], listed.Roles.ToArray());
    }
}
