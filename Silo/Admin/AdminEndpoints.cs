using AgentCluster.Silo.Authentication;
using AgentCluster.Silo.Approvals;
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
    /// Health and metrics stay open on the admin port (probes and scrapers carry no key and
    /// these reveal no tenant data); the dashboard shows grain ids and needs a cluster-admin key.
    /// </summary>
    public static void MapAdmin(this WebApplication app, int adminPort)
    {
        app.MapHealthChecks("/healthz").RequireLocalPort(adminPort);
        app.MapPrometheusScrapingEndpoint("/metrics").RequireLocalPort(adminPort);
        app.MapOrleansDashboard(routePrefix: "/dashboard").RequireLocalPort(adminPort).RequireAuthorization(ClusterAdminPolicy);
        app.MapApprovalConsole(adminPort);
    }
}
