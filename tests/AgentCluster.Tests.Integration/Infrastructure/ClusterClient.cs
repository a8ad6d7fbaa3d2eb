using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using AgentCluster.Silo.Hosting;
using Orleans.Configuration;

namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>An Orleans client of a test cluster, calling grains the way the egress proxy does.</summary>
public sealed class ClusterClient : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterClient(IHost host) => _host = host;

    public IClusterClient Grains => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>Silos that cluster through PostgreSQL (the silo's service id is always "agentcluster"), over their TLS.</summary>
    public static Task<ClusterClient> PostgresAsync(string connectionString, string clusterId) =>
        StartAsync(c => c
            .UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = ("Npgsql", connectionString))
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, "agentcluster"))
            .UseClusterTls(ClusterTls.Client()));

    /// <summary>The embedded single node, through its gateway port.</summary>
    public static Task<ClusterClient> LocalAsync(int gatewayPort) =>
        StartAsync(c => c.UseLocalhostClustering(gatewayPort, "agentcluster", "agentcluster"));

    public static async Task<ClusterClient> StartAsync(Action<IClientBuilder> configure)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(configure);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            // A client that never connected still holds its host's services.
            host.Dispose();
            throw;
        }
        return new ClusterClient(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
