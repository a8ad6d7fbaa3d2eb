using AgentCluster.Silo.Authentication;
using AgentCluster.Silo.Approvals;
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
        var host = $"*:{adminPort}";
        app.MapHealthChecks("/healthz").RequireHost(host);
        app.MapPrometheusScrapingEndpoint("/metrics").RequireHost(host);
        app.MapOrleansDashboard(routePrefix: "/dashboard").RequireHost(host).RequireAuthorization(ClusterAdminPolicy);
        app.MapApprovalConsole(host);
    }
}
