using AgentCluster.Grains.Hosting;
using AgentCluster.Silo.Hosting;
using AgentCluster.Silo.Storage;
using AgentCluster.Tests.Integration.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Tests.Integration.Grains.Audit;

/// <summary>
/// A silo hosted inside the test process with the product's own configuration code (no web
/// endpoints), so a test can call its services directly, as a grain on that silo would.
/// </summary>
public static class InProcessSilo
{
    public static AgentClusterOptions Postgres(string connectionString, string clusterId, string dataDir) => new()
    {
        DataDir = dataDir,
        ClusterId = clusterId,
        ServiceId = clusterId,
        Storage = { Provider = StorageOptions.Postgres, ConnectionString = connectionString },
        Ports = { Silo = FreePort.Next(), Gateway = FreePort.Next() },
        Cluster = { Tls = ClusterTls.Silo },
    };

    public static async Task<IHost> StartAsync(AgentClusterOptions options)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentCluster:DataDir"] = options.DataDir,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var connectionString = options.Storage.ResolveConnectionString(options.DataDir);
        builder.Services.AddAgentClusterServices(builder.Configuration, options, connectionString);
        builder.UseOrleans(s => s.UseAgentCluster(options, connectionString, builder.Configuration));
        var host = builder.Build();
        await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(options.Storage, connectionString, CancellationToken.None);
        await host.StartAsync();
        return host;
    }
}
