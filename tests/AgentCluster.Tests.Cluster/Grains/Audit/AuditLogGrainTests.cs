using System.Collections.Immutable;
using AgentCluster.Audit;
using AgentCluster.Grains.Audit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace AgentCluster.Tests.Cluster.Grains.Audit;

/// <summary>The tenant's log grain on one silo, over an in-memory table whose commits the test holds.</summary>
public sealed class AuditLogGrainTests : IAsyncLifetime
{
    private static readonly GatedAuditStore Store = new();

    private readonly TestCluster _cluster = new TestClusterBuilder(1).AddSiloBuilderConfigurator<SiloConfigurator>().Build();

    public Task InitializeAsync() => _cluster.DeployAsync();

    public async Task DisposeAsync()
    {
        Store.Release();
        await _cluster.DisposeAsync();
    }

    private static AuditEvent Row(string tenant, string subject) =>
        new(tenant, "ses_1", AuditKinds.EgressForwarded, subject, AuditOutcomes.Success, "", AuditEvent.NoDetail);

    [Fact]
    public async Task A_group_of_durable_rows_is_acknowledged_only_once_committed_together_in_one_chained_transaction()
    {
        var tenant = $"t{Guid.NewGuid():N}"[..12];
        var log = _cluster.GrainFactory.GetGrain<IAuditLogGrain>(tenant);
        Store.Close();

        var append = log.AppendManyDurable([Row(tenant, "a"), Row(tenant, "b"), Row(tenant, "c")]);
        await Store.Waiting.Task;
        Assert.False(append.IsCompleted);
        Store.Release();
        await append;

        var committed = Assert.Single(Store.Transactions, t => t[0].Tenant == tenant);
        Assert.Equal(["a", "b", "c"], committed.Select(r => r.Subject));
        Assert.Equal([1L, 2L, 3L], committed.Select(r => r.Seq));
        Assert.True(AuditChain.Verify(committed.Select(r => new AuditChainRow(r.Fields, r.PrevHash, r.Hash))).Ok);
    }

    [Fact]
    public async Task A_group_with_another_tenants_row_is_refused_whole()
    {
        var tenant = $"t{Guid.NewGuid():N}"[..12];
        var log = _cluster.GrainFactory.GetGrain<IAuditLogGrain>(tenant);

        await Assert.ThrowsAsync<ArgumentException>(() => log.AppendManyDurable([Row(tenant, "mine"), Row("other", "theirs")]));
        await log.AppendManyDurable([Row(tenant, "after")]);

        var committed = Assert.Single(Store.Transactions, t => t[0].Tenant == tenant);
        Assert.Equal(["after"], committed.Select(r => r.Subject));
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo) =>
            silo.ConfigureServices(s => s
                .AddSingleton(TimeProvider.System)
                .AddSingleton<IAuditStore>(Store)
                .AddAgentClusterAudit(new ConfigurationBuilder().Build()));
    }
}
