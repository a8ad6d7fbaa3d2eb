using System.Net;
using AgentCluster.Grains.Approvals;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Hosting;
using AgentCluster.Grains.Sessions;
using AgentCluster.Silo.Admin;
using AgentCluster.Silo.Api;
using AgentCluster.Silo.Authentication;
using AgentCluster.Silo.Bootstrap;
using AgentCluster.Silo.Console;
using AgentCluster.Silo.Approvals;
using AgentCluster.Silo.Storage;
using AgentCluster.Silo.Storage.Approvals;
using AgentCluster.Silo.Storage.Audit;
using AgentCluster.Silo.Storage.Secrets;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace AgentCluster.Silo.Hosting;

internal static class SiloHost
{
    public static void AddAgentClusterSilo(this WebApplicationBuilder builder, AgentClusterOptions options, string connectionString)
    {
        var services = builder.Services;
        services.AddAgentClusterServices(builder.Configuration, options, connectionString);
        builder.UseOrleans(silo => silo.UseAgentCluster(options, connectionString, builder.Configuration));

        var listen = IPAddress.Parse(options.ListenAddress);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(listen, options.Ports.Api, l => l.Protocols = HttpProtocols.Http2);
            // HTTP/1.1 only: HTTP/2 without TLS needs prior knowledge, which no browser has (and Kestrel warns at start).
            kestrel.Listen(listen, options.Ports.Admin, l => l.Protocols = HttpProtocols.Http1);
        });

        services.AddLocalPortRouting();
        services.AddGrpc(o => o.Interceptors.Add<ApiKeyInterceptor>());
        services.AddSingleton<ApprovalDesk>();
        services.AddSingleton<ConsoleSessions>();
        services.AddSingleton<ConsoleSessionTrail>();
        services.AddSingleton<ScreenViewThrottle>();
        services.AddSingleton<ConsoleFleet>();
        services.AddSingleton<ConsoleAudit>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<ConsoleSignIns>();
        services.AddGrpcHealthChecks().AddCheck<SiloHealthCheck>("silo");
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminEndpoints.ClusterAdminPolicy, p => p.RequireClusterAdmin())
            .AddPolicy(FrontDoor.SignedInPolicy, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser())
            .AddPolicy(ApprovalConsole.ReaderPolicy, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser().RequireRole(ApprovalDesk.Readers));
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("agentcluster-silo"))
            .WithMetrics(m => m
            .AddMeter("Microsoft.Orleans", "AgentCluster")
            .AddPrometheusExporter());
    }

    /// <summary>What a silo needs besides the web endpoints; tests host silos with just this.</summary>
    public static IServiceCollection AddAgentClusterServices(
        this IServiceCollection services, IConfiguration configuration, AgentClusterOptions options, string connectionString)
    {
        services.Configure<AgentClusterOptions>(configuration.GetSection(AgentClusterOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton(new DatabaseConnections(options.Storage, connectionString));
        services.AddSingleton<IAuditStore, SqlAuditStore>();
        services.AddSingleton(_ => VaultKeys.Load(configuration, options));
        services.AddSingleton<SecretCipher>();
        services.AddSingleton<ISecretVault, SqlSecretVault>();
        services.AddSingleton(_ => PublicSuffixes.Load(configuration[PublicSuffixes.FileKey] ?? PublicSuffixes.DebianFile));
        services.AddSingleton<VaultKeyAdvice>();
        services.AddSingleton<IApprovalInboxStore, SqlApprovalInboxStore>();
        services.AddAgentClusterAudit(configuration);
        services.AddAgentClusterApprovals(configuration);
        // Registered before the fleet so that host reconciles ask the sessions, not just the deadline labels.
        services.AddSingleton<ISandboxClaims, SessionClaims>();
        services.AddAgentClusterFleet(configuration);
        // One silo with reminders in memory: nobody takes its sessions over, so they end with it.
        if (options.Storage.IsSqlite)
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, EmbeddedNodeSessions>();
        services.AddSingleton<AdminKeyBootstrap>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<AdminKeyBootstrap>());
        return services;
    }

    public static void UseAgentClusterEndpoints(this WebApplication app, AgentClusterOptions options)
    {
        app.UseClusterFaultTranslation();
        app.UseApiPortHint(options.Ports.Admin, options.Ports.Api);
        app.UseAuthentication();
        app.UseAuthorization();

        var api = options.Ports.Api;
        app.MapGrpcService<TenantApi>().RequireLocalPort(api);
        app.MapGrpcService<KeyApi>().RequireLocalPort(api);
        app.MapGrpcService<ClusterApi>().RequireLocalPort(api);
        app.MapGrpcService<AuditApi>().RequireLocalPort(api);
        app.MapGrpcService<SessionApi>().RequireLocalPort(api);
        app.MapGrpcService<HostApi>().RequireLocalPort(api);
        app.MapGrpcService<SecretApi>().RequireLocalPort(api);
        app.MapGrpcService<GrantApi>().RequireLocalPort(api);
        app.MapGrpcService<ActionApi>().RequireLocalPort(api);
        app.MapGrpcService<ApprovalApi>().RequireLocalPort(api);
        app.MapGrpcService<ComputerApi>().RequireLocalPort(api);
        app.MapGrpcHealthChecksService().RequireLocalPort(api);
        app.MapAdmin(options.Ports.Admin);
    }
}
