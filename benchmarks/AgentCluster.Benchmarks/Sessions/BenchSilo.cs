using System.Net;
using System.Net.Sockets;
using AgentCluster.Grains.Hosting;
using AgentCluster.Silo.Hosting;
using AgentCluster.Silo.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentCluster.Benchmarks.Sessions;

/// <summary>
/// One in-process silo with the product's configuration: the embedded SQLite storage of a single
/// node, the real session claims, and one engine registered twice: as <see cref="Cold"/> (no pool)
/// and as <see cref="Warm"/> (a warm pool of the image), so that cold and pooled sessions run on
/// the same engine and differ only by their host label.
/// </summary>
internal static class BenchSilo
{
    public const string Cold = "bench-cold";
    public const string Warm = "bench-warm";
    public const string PoolLabel = "warmpool";
    public const int Capacity = 400;

    public static async Task<IHost> StartAsync(string endpoint, string image, int poolSize, string dataDir)
    {
        var id = $"bench-{Guid.NewGuid():N}";
        var options = new AgentClusterOptions { DataDir = dataDir, ClusterId = id, ServiceId = id, Storage = new StorageOptions() };
        options.Ports.Silo = FreePort();
        options.Ports.Gateway = FreePort();
        var connectionString = options.Storage.ResolveConnectionString(options.DataDir);
        Directory.CreateDirectory(dataDir);
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(options.Storage, connectionString, CancellationToken.None);

        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"AgentCluster:Fleet:Hosts:{Cold}:Endpoint"] = endpoint,
            [$"AgentCluster:Fleet:Hosts:{Cold}:Capacity"] = Capacity.ToString(),
            [$"AgentCluster:Fleet:Hosts:{Cold}:Labels:{PoolLabel}"] = "off",
            [$"AgentCluster:Fleet:Hosts:{Warm}:Endpoint"] = endpoint,
            [$"AgentCluster:Fleet:Hosts:{Warm}:Capacity"] = Capacity.ToString(),
            [$"AgentCluster:Fleet:Hosts:{Warm}:Labels:{PoolLabel}"] = "on",
            ["AgentCluster:Fleet:WarmPool:Pools:0:Image"] = image,
            ["AgentCluster:Fleet:WarmPool:Pools:0:Size"] = poolSize.ToString(),
            [$"AgentCluster:Fleet:WarmPool:Pools:0:HostLabels:{PoolLabel}"] = "on",
        });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Error);
        builder.Services.AddAgentClusterServices(builder.Configuration, options, connectionString);
        builder.UseOrleans(s => s.UseAgentCluster(options, connectionString, builder.Configuration));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
