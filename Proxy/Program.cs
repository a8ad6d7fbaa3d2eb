using System.Net;
using AgentCluster.Grains.Hosting;
using AgentCluster.Proxy.Hosting;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});
var options = builder.Configuration.GetSection(AgentClusterOptions.Section).Get<AgentClusterOptions>() ?? new();

builder.UseOrleansClient(client => client.UseAgentClusterGateway(options));
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(options.ListenAddress), options.Ports.Proxy));

var app = builder.Build();
// Deny by default: until the egress rules exist, nothing leaves through this proxy.
app.Run(context =>
{
    context.Response.StatusCode = StatusCodes.Status403Forbidden;
    return context.Response.WriteAsync("egress denied\n");
});
app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
    "AgentCluster egress proxy listening on {Address}:{Port}", options.ListenAddress, options.Ports.Proxy));
await app.RunAsync();
