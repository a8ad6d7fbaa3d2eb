using AgentCluster.Grains.Approvals.Classification;
using AgentCluster.Grains.Approvals.Gate;
using AgentCluster.Grains.Approvals.Notices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentCluster.Grains.Approvals;

public static class ApprovalServiceCollectionExtensions
{
    /// <summary>The classifier, the gate sessions use, and the webhook sender for new pending approvals.</summary>
    public static IServiceCollection AddAgentClusterApprovals(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddActionClassification(configuration);
        services.Configure<GateOptions>(configuration.GetSection(GateOptions.Section));
        services.Configure<WebhookOptions>(configuration.GetSection(WebhookOptions.Section));
        services.AddSingleton<PayloadRedactor>();
        services.AddSingleton<ActionGate>();
        services.AddSingleton<ApprovalNotices>();
        services.AddHostedService<WebhookSender>();
        return services;
    }
}
