using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentCluster.Grains.Fleet;

/// <summary>
/// When the silo is up: registers the hosts named in configuration, then wakes every known host
/// so its checks and reconcile run (with in-memory reminders nothing else would after a restart).
/// </summary>
public sealed class FleetStartup(IGrainFactory grains, IOptions<FleetOptions> options, ILogger<FleetStartup> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(FleetStartup), ServiceLifecycleStage.Active, Start);

    private async Task Start(CancellationToken ct)
    {
        foreach (var (name, host) in options.Value.Hosts)
        {
            try
            {
                await grains.GetGrain<IDockerHostGrain>(name).Register(new DockerHostRegistration(
                    host.Endpoint, host.TlsDir, host.Capacity ?? options.Value.DefaultCapacity,
                    host.Labels.ToImmutableDictionary(StringComparer.Ordinal)));
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
}
