using AgentCluster.Grains;
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
        public void Configure(ISiloBuilder silo) =>
            silo.AddMemoryGrainStorage(StorageNames.Default)
                .ConfigureServices(s => s.AddSingleton(TimeProvider.System));
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
