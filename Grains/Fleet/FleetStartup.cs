using System.Collections.Immutable;
using System.Globalization;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Tenants;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentCluster.Grains.Fleet;

/// <summary>
/// When the silo is up: registers the hosts named in configuration, then wakes every known host
/// so its checks and reconcile run (with in-memory reminders nothing else would after a restart).
/// A configured host the fleet did not know before is a <c>host.added</c> row of the system
/// tenant, as one added through the API is; a fleet run without an audit log (tests) writes none.
/// </summary>
public sealed class FleetStartup(IGrainFactory grains, IOptions<FleetOptions> options, ILogger<FleetStartup> logger, IAuditLog? audit = null)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public const string Actor = "config";

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(FleetStartup), ServiceLifecycleStage.Active, Start);

    private async Task Start(CancellationToken ct)
    {
        foreach (var (name, host) in options.Value.Hosts)
        {
            try
            {
                var grain = grains.GetGrain<IDockerHostGrain>(name);
                var known = await grain.GetStatus() is not null;
                var status = await grain.Register(new DockerHostRegistration(
                    host.Endpoint, host.TlsDir, host.Capacity ?? options.Value.DefaultCapacity,
                    host.Labels.ToImmutableDictionary(StringComparer.Ordinal)));
                if (!known && audit is not null)
                    await audit.AppendAsync(Added(status));
            }
            catch (Exception e)
            {
                logger.LogError(e, "Could not register the configured Docker host {Host}", name);
            }
        }

        var hosts = await grains.GetGrain<IFleetGrain>(IFleetGrain.Key).ListHosts();
        logger.LogInformation("Fleet: {Count} Docker host(s): {Hosts}", hosts.Count,
            string.Join(", ", hosts.Select(h => $"{h.Name} {h.Health}")));
    }

    private static AuditEvent Added(DockerHostStatus host) =>
        new(SystemTenant.Name, Actor, AuditKinds.HostAdded, host.Name, AuditOutcomes.Success, "",
            AuditEvent.NoDetail.Add("host", host.Name).Add("endpoint", host.Endpoint)
                .Add("capacity", host.Capacity.ToString(CultureInfo.InvariantCulture)));
}
