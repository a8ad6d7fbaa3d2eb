using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Tenants;
using AgentCluster.Proxy.Egress;

namespace AgentCluster.Proxy.Audit;

/// <summary>
/// Writes the <see cref="DenialTally"/> to the system tenant's log every
/// <see cref="EgressOptions.UnauthenticatedAuditInterval"/>, and once more when the proxy stops.
/// </summary>
public sealed class UnauthenticatedDenials(IClusterClient cluster, EgressOptions options, ILogger<UnauthenticatedDenials> logger) : BackgroundService
{
    private readonly DenialTally _tally = new();

    public void Count(EgressDecision decision) => _tally.Count(decision.Source, decision.Reason);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await Flush();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.UnauthenticatedAuditInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await Flush();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes what is left.
        }
    }

    private async Task Flush()
    {
        var rows = _tally.Take(options.UnauthenticatedAuditInterval);
        if (rows.Count == 0)
            return;
        try
        {
            await cluster.GetGrain<IAuditLogGrain>(SystemTenant.Name).AppendMany([.. rows]);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "{Count} aggregated rows of unauthenticated egress denials were not queued", rows.Count);
        }
    }
}
