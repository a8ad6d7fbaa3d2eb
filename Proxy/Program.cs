using System.Net;
using AgentCluster.Grains.Hosting;
using AgentCluster.Proxy.Approvals;
using AgentCluster.Proxy.Egress;
using AgentCluster.Proxy.Hosting;
using AgentCluster.Proxy.Pipeline;
using AgentCluster.Proxy.Tunnel;

// A bare LF ends a header line only in lenient parsers: refuse it, so no header hides in another's value.
AppContext.SetSwitch("Microsoft.AspNetCore.Server.Kestrel.DisableHttp1LineFeedTerminators", true);

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});
var options = builder.Configuration.GetSection(AgentClusterOptions.Section).Get<AgentClusterOptions>() ?? new();
var egress = builder.Configuration.GetSection(EgressOptions.Section).Get<EgressOptions>() ?? new();
var gate = builder.Configuration.GetSection(HttpGateOptions.Section).Get<HttpGateOptions>() ?? new();
var listen = new IPEndPoint(IPAddress.Parse(options.ListenAddress), options.Ports.Proxy);

try
{
    builder.UseOrleansClient(client => client.UseAgentClusterGateway(options));
}
catch (ClusterTlsException e)
{
    Console.Error.WriteLine($"agentcluster-proxy: {e.Message}");
    return 2;
}
builder.Services.AddEgress(egress, gate, listen, options.OwnPorts());
builder.WebHost.ConfigureKestrel(k =>
{
    k.AddServerHeader = false;
    // Slow or oversized clients are cut off by Kestrel before the pipeline sees them.
    k.Limits.RequestHeadersTimeout = egress.RequestHeadersTimeout;
    k.Limits.KeepAliveTimeout = egress.IdleTimeout;
    k.Limits.MaxRequestHeadersTotalSize = egress.MaxRequestHeadersBytes;
    k.Limits.MaxRequestHeaderCount = 100;
    k.Limits.MaxRequestBodySize = egress.MaxRequestBodyBytes;
    // CONNECT never reaches the HTTP pipeline (Kestrel will not hand out its stream): a
    // connection middleware reads it off the transport first.
    k.Listen(listen, l => l.Use(next => connection =>
        l.ApplicationServices.GetRequiredService<ConnectTunnel>().Handle(connection, next)));
});

var app = builder.Build();
// Deny by default: every request goes through the egress checks, and nothing else answers here.
var pipeline = app.Services.GetRequiredService<EgressPipeline>();
app.Run(pipeline.Handle);
if (ClusterCertificates.IsDisabled(options))
    app.Logger.LogWarning(ClusterCertificates.DisabledWarning);
app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
    "AgentCluster egress proxy listening on {Endpoint}; allowed ranges: {Ranges}", listen,
    egress.AllowedRanges.Count == 0 ? "none" : string.Join(", ", egress.AllowedRanges)));
await app.RunAsync();
return 0;
