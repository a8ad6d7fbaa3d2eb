using AgentCluster.ComputerProtocol;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// The cold launch: a container made for the session, with its egress credential in its
/// environment where the host has a proxy, created and started (the engine removes what it
/// created when the start fails), then counted by the host. A desktop gets no credential in its
/// environment, only the proxy CA (public): its credential reaches its computer server through
/// the channel's <c>configure</c>, which the session sends once the container runs.
/// </summary>
public sealed class SandboxLaunch(SandboxContainerSpec containerSpec, int proxyPort, TimeProvider clock, ILogger logger)
{
    public async Task<LaunchResult> Cold(HostContext h, SandboxSpec spec, Func<Task<string>>? proxyCa = null)
    {
        var parameters = h.Own(containerSpec.Build(spec, clock.GetUtcNow()));
        if (spec.Proxy is { } proxy && await h.Engine.ProxyAddressAsync() is { } proxyAddress)
        {
            parameters.Env = spec.Desktop
                ? proxyCa is null ? parameters.Env : [.. parameters.Env, $"{ProxySettings.CaEnvironmentVariable}={await proxyCa()}"]
                : [.. parameters.Env, .. SandboxContainerSpec.ProxyEnv(proxy.ProxyUrl(proxyAddress, proxyPort))];
        }
        var started = await h.Engine.LaunchAsync(parameters);
        h.Ledger.Track(new SandboxContainer(started.ContainerId, new Dictionary<string, string>(parameters.Labels), "running", clock.GetUtcNow()));
        logger.LogInformation("Launched {Container} for session {Session} (tenant {Tenant}) on {Host}, deadline {Deadline:O}",
            started.ContainerId, spec.SessionId, spec.Tenant, h.Host, spec.Deadline);
        return LaunchResult.Started(h.Host, started.ContainerId, started.IpAddress);
    }

    /// <summary>What a launch that threw tells the session: a missing image as such, anything else as a failure.</summary>
    public LaunchResult Refusal(string host, SandboxSpec spec, Exception e)
    {
        if (e is SandboxLaunchException { ImageNotFound: true })
            return LaunchResult.Refused(LaunchStatus.ImageNotFound, host, e.Message);
        logger.LogWarning(e, "Launch for session {Session} on {Host} failed", spec.SessionId, host);
        return LaunchResult.Refused(LaunchStatus.Failed, host, e.Message);
    }
}
