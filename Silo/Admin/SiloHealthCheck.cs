using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentCluster.Silo.Admin;

/// <summary>Healthy while this silo is an active member of the cluster.</summary>
internal sealed class SiloHealthCheck(ISiloStatusOracle membership) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(membership.CurrentStatus == SiloStatus.Active
            ? HealthCheckResult.Healthy("silo active")
            : HealthCheckResult.Unhealthy($"silo {membership.CurrentStatus}"));
}
