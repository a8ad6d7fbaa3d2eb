using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentCluster.Grains.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>The audit writer; the caller registers the <see cref="IAuditStore"/> for its database.</summary>
    public static IServiceCollection AddAgentClusterAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AuditOptions>(configuration.GetSection(AuditOptions.Section));
        services.AddSingleton(sp => new AuditScrubber(sp.GetRequiredService<IOptions<AuditOptions>>().Value));
        services.AddSingleton<IAuditLog, AuditLog>();
        return services;
    }
}
