using AgentCluster.Api;
using AgentCluster.Silo.Authentication;
using AgentCluster.Silo.Approvals;
using AgentCluster.Silo.Console;
using AgentCluster.Silo.Hosting;
using Microsoft.AspNetCore.Authorization;
using Orleans.Dashboard;

namespace AgentCluster.Silo.Admin;

internal static class AdminEndpoints
{
    public const string ClusterAdminPolicy = "ClusterAdmin";

    public static AuthorizationPolicyBuilder RequireClusterAdmin(this AuthorizationPolicyBuilder policy) =>
        policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireAssertion(ctx => Caller.FromPrincipal(ctx.User)?.IsClusterAdmin == true);

    /// <summary>
    /// Every answer on the admin port names the API's port, so that a client that took this port for the
    /// API can say which one is (the gRPC API speaks HTTP/2 only, this port HTTP/1.1 only).
    /// </summary>
    public static void UseApiPortHint(this WebApplication app, int adminPort, int apiPort)
    {
        var port = apiPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        app.Use((context, next) =>
        {
            if (context.Connection.LocalPort == adminPort)
                context.Response.Headers[AdminPort.ApiPortHeader] = port;
            return next(context);
        });
    }

    /// <summary>
    /// <c>/</c> signs in and links to what the key may see (<see cref="FrontDoor"/>). Health and metrics
    /// stay open on the admin port (probes and scrapers carry no key and these reveal no tenant data);
    /// the dashboard shows grain ids and needs a cluster-admin key.
    /// </summary>
    public static void MapAdmin(this WebApplication app, int adminPort)
    {
        app.MapHealthChecks("/healthz").RequireLocalPort(adminPort);
        app.MapPrometheusScrapingEndpoint("/metrics").RequireLocalPort(adminPort);
        app.MapOrleansDashboard(routePrefix: "/dashboard").RequireLocalPort(adminPort).RequireAuthorization(ClusterAdminPolicy);
        app.MapApprovalConsole(adminPort);
        app.MapConsole(adminPort);
        app.MapFrontDoor(adminPort);
        app.MapSignIn(adminPort);
    }
}
