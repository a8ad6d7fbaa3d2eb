using System.Diagnostics;
using AgentCluster.Grains.Hosting;
using AgentCluster.Silo.Hosting;
using AgentCluster.Silo.Storage;

var clock = Stopwatch.StartNew();
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    // appsettings.json ships next to the binary; the working directory only anchors DataDir.
    ContentRootPath = AppContext.BaseDirectory,
});
var options = builder.Configuration.GetSection(AgentClusterOptions.Section).Get<AgentClusterOptions>() ?? new();
var connectionString = options.Storage.ResolveConnectionString(options.DataDir);

try
{
    builder.AddAgentClusterSilo(options, connectionString);
}
catch (ClusterTlsException e)
{
    Console.Error.WriteLine($"agentcluster-silo: {e.Message}");
    return 2;
}
var app = builder.Build();
app.UseAgentClusterEndpoints(options);

var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AgentCluster.Silo");
if (ClusterCertificates.IsDisabled(options))
    log.LogWarning(ClusterCertificates.DisabledWarning);
try
{
    await DatabaseReadiness.WaitAsync(options.Storage, connectionString, log, app.Lifetime.ApplicationStopping);
    await app.Services.GetRequiredService<SchemaMigrator>()
        .MigrateAsync(options.Storage, connectionString, app.Lifetime.ApplicationStopping);
}
catch (DatabaseUnreachableException e)
{
    Console.Error.WriteLine($"agentcluster-silo: {e.Message}");
    return 2;
}

app.Lifetime.ApplicationStarted.Register(() => log.LogInformation(
    "AgentCluster silo serving after {Elapsed} ms: gRPC API http://{Address}:{Api}, admin http://{Address}:{Admin} " +
    "(/dashboard, /healthz, /metrics), storage {Provider}",
    clock.ElapsedMilliseconds, options.ListenAddress, options.Ports.Api, options.ListenAddress, options.Ports.Admin,
    options.Storage.Provider));
await app.RunAsync();
return 0;
