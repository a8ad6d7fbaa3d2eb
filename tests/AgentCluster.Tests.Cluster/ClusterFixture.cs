using AgentCluster.Grains;
using AgentCluster.Grains.Approvals;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Cluster.Grains.Fleet;
using AgentCluster.Tests.Cluster.Grains.Sessions;
using AgentCluster.Tests.Doubles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace AgentCluster.Tests.Cluster;

/// <summary>Three in-process silos sharing memory grain storage.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; } = new TestClusterBuilder(3)
        .AddSiloBuilderConfigurator<SiloConfigurator>()
        .Build();

    public IGrainFactory Grains => Cluster.GrainFactory;

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        // A long interval: the fleet tests drive the checks themselves, over fake engines.
        private static readonly IConfiguration Fleet = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentCluster:Fleet:ReconcileInterval"] = "00:00:30",
            ["AgentCluster:Fleet:ClaimGrace"] = "00:00:10",
            // A warm pool only on hosts that ask for it with a label, so the other fleet tests see none.
            ["AgentCluster:Fleet:WarmPool:RefillInterval"] = "00:00:00.200",
            ["AgentCluster:Fleet:WarmPool:Pools:0:Image"] = WarmPoolTests.Image,
            ["AgentCluster:Fleet:WarmPool:Pools:0:Size"] = "3",
            ["AgentCluster:Fleet:WarmPool:Pools:0:MaxSessionTtl"] = "00:10:00",
            ["AgentCluster:Fleet:WarmPool:Pools:0:HostLabels:warmpool"] = "on",
        }).Build();

        public void Configure(ISiloBuilder silo) =>
            silo.AddMemoryGrainStorage(StorageNames.Default)
                .UseInMemoryReminderService()
                .ConfigureServices(s => s
                    .AddSingleton(TimeProvider.System)
                    .AddSingleton<IDockerEngines>(FakeEngines.Instance)
                    .AddSingleton<ISandboxClaims>(FakeClaims.Instance)
                    .AddSingleton<IAuditLog>(RecordedAudit.Instance)
                    .AddSingleton<ISecretVault, NoSecretVault>()
                    .AddSingleton<IApprovalInboxStore, MemoryApprovalInbox>()
                    .AddAgentClusterApprovals(Fleet)
                    .AddAgentClusterFleet(Fleet));
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
