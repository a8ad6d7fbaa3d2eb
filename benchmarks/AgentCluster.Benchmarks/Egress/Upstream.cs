using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Benchmarks.Egress;

/// <summary>
/// The one upstream of every mode, on loopback: answers <c>ok</c> when the request carries the
/// real credential and <c>stub</c> otherwise, so a run can prove the swap happened on every request.
/// </summary>
internal sealed class Upstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private Upstream(WebApplication app) => _app = app;

    public int Port { get; private init; }

    public static async Task<Upstream> StartAsync(string realAuthorization)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsync(
            context.Request.Headers.Authorization == realAuthorization ? "ok" : "stub"));
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        return new Upstream(app) { Port = port };
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
