using AgentCluster.Grains.Tenants;

namespace AgentCluster.Tests.Cluster.Grains.Tenants;

[Collection(ClusterCollection.Name)]
public sealed class TenantGrainTests(ClusterFixture fixture)
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Creating_a_tenant_twice_keeps_the_first_quotas()
    {
        var name = Unique("t");
        var tenant = fixture.Grains.GetGrain<ITenantGrain>(name);
        var first = await tenant.Create(new TenantQuotas(3, TimeSpan.FromMinutes(30), ["img:*"]));
        var second = await tenant.Create(new TenantQuotas(99, TimeSpan.FromHours(5), ["other"]));

        Assert.Equal(TenantCreateStatus.Created, first.Status);
        Assert.Equal(TenantCreateStatus.AlreadyExists, second.Status);
        var read = await tenant.Get();
        Assert.NotNull(read);
        Assert.Equal(3, read.Quotas.MaxSessions);
        Assert.Equal(TimeSpan.FromMinutes(30), read.Quotas.MaxSessionTtl);
        Assert.Equal(["img:*"], read.Quotas.AllowedImages.ToArray());
    }

    [Fact]
    public async Task A_created_tenant_is_listed_and_an_unknown_one_reads_as_null()
    {
        var name = Unique("t");
        await fixture.Grains.GetGrain<ITenantGrain>(name).Create(TenantQuotas.Default);

        var names = await fixture.Grains.GetGrain<ITenantRegistryGrain>(ITenantRegistryGrain.Key).List();
        Assert.Contains(name, names);
        Assert.Null(await fixture.Grains.GetGrain<ITenantGrain>(Unique("missing")).Get());
    }

    [Fact]
    public async Task A_key_cannot_be_added_to_a_tenant_that_does_not_exist()
    {
        var tenant = fixture.Grains.GetGrain<ITenantGrain>(Unique("none"));
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => tenant.AddKey(ApiKeyId.Hash(ApiKeyId.NewKey()), [Roles.Orchestrator]));
        Assert.Null(await tenant.Get());
    }

    [Fact]
    public async Task Updated_quotas_replace_the_old_ones_and_an_unknown_tenant_is_null()
    {
        var tenant = fixture.Grains.GetGrain<ITenantGrain>(Unique("t"));
        await tenant.Create(TenantQuotas.Default);
        var updated = await tenant.UpdateQuotas(TenantQuotas.Default with { DefaultNanoCpus = 250_000_000, MaxNanoCpus = 500_000_000 });

        Assert.Equal((250_000_000, 500_000_000), (updated!.Quotas.DefaultNanoCpus, updated.Quotas.MaxNanoCpus));
        Assert.Equal((250_000_000, 500_000_000), ((await tenant.Get())!.Quotas.DefaultNanoCpus, (await tenant.Get())!.Quotas.MaxNanoCpus));
        Assert.Null(await fixture.Grains.GetGrain<ITenantGrain>(Unique("missing")).UpdateQuotas(TenantQuotas.Default));
        Assert.Null(await fixture.Grains.GetGrain<ITenantGrain>(Unique("missing")).Get());
    }
}
