using AgentCluster.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AgentCluster.Grains.Fleet;

public static class FleetServiceCollectionExtensions
{
    /// <summary>
    /// The Docker fleet: options from <c>AgentCluster:Fleet</c> (plus <c>AgentCluster:Docker:Endpoint</c>
    /// as host <c>local</c>), one engine client per endpoint, the container spec, the default
    /// claims (replace <see cref="ISandboxClaims"/> to plug sessions in) and the start-up registration.
    /// </summary>
    public static IServiceCollection AddAgentClusterFleet(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FleetOptions>()
            .Bind(configuration.GetSection(FleetOptions.Section))
            .PostConfigure(o =>
            {
                if (configuration[FleetOptions.SingleEndpointKey] is { Length: > 0 } endpoint)
                    o.Hosts.TryAdd(FleetOptions.LocalHost, new FleetHostOptions { Endpoint = endpoint });
                var cluster = configuration.GetSection(AgentClusterOptions.Section).Get<AgentClusterOptions>() ?? new AgentClusterOptions();
                o.Canary.Probed = [.. cluster.OwnPorts().Concat(CanaryOptions.WellKnownPorts).Concat(o.Canary.Ports)
                    .Where(p => p is > 0 and <= 65_535 && p != o.ProxyPort).Distinct().Order()];
                foreach (var pool in o.WarmPool.Pools)
                {
                    pool.Desktop = o.IsDesktop(pool.Image);
                    if (pool.Desktop)
                        pool.PidsLimit = Math.Max(pool.PidsLimit, SandboxSpec.DesktopPidsLimit);
                }
            })
            .Validate(o => o.UnhealthyAfter >= 1, "AgentCluster:Fleet:UnhealthyAfter must be at least 1")
            .Validate(o => o.ReconcileInterval > TimeSpan.Zero, "AgentCluster:Fleet:ReconcileInterval must be positive")
            .Validate(o => o.ReminderPeriod >= TimeSpan.FromMinutes(1), "AgentCluster:Fleet:ReminderPeriod must be at least a minute")
            .Validate(o => o.Canary.Interval > TimeSpan.Zero && o.Canary.ProbeTimeout >= TimeSpan.FromSeconds(1) && o.Canary.Image.Length > 0,
                "AgentCluster:Fleet:Canary needs an Image, a positive Interval and a ProbeTimeout of at least a second")
            .Validate(o => o.DesktopStartBoost.NanoCpus == 0 || (o.DesktopStartBoost.NanoCpus >= o.Limits.MinNanoCpus && o.DesktopStartBoost.NanoCpus <= o.Limits.MaxNanoCpus),
                "AgentCluster:Fleet:DesktopStartBoost:NanoCpus must be 0 (none) or within the sandbox CPU limits")
            .Validate(o => o.DesktopStartBoost.For > TimeSpan.Zero, "AgentCluster:Fleet:DesktopStartBoost:For must be positive")
            .Validate(o => o.WarmPool.RefillInterval > TimeSpan.Zero && o.WarmPool.CreatesAtOnce >= 1 && o.WarmPool.AfterDesktopClaim >= TimeSpan.Zero,
                "AgentCluster:Fleet:WarmPool needs a positive RefillInterval, CreatesAtOnce of at least 1 and an AfterDesktopClaim of 0 or more")
            .Validate(o => o.WarmPool.Pools.All(p => p.Image.Length > 0 && p.Size >= 0 && p.IdleTtl > TimeSpan.Zero && p.MaxSessionTtl > TimeSpan.Zero),
                "every AgentCluster:Fleet:WarmPool:Pools entry needs an Image, a Size of 0 or more, and positive IdleTtl and MaxSessionTtl")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDockerEngines, DockerEngines>();
        services.TryAddSingleton<ISandboxClaims, DeadlineClaims>();
        services.TryAddSingleton(sp => SeccompProfile.Load(sp.GetRequiredService<IOptions<FleetOptions>>().Value.SeccompProfile));
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<FleetOptions>>().Value;
            return new SandboxContainerSpec(options.NetworkName, sp.GetRequiredService<SeccompProfile>(), options.Limits,
                desktopBoostNanoCpus: options.DesktopStartBoost.NanoCpus);
        });
        services.AddSingleton<FleetStartup>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<FleetStartup>());
        return services;
    }
}
