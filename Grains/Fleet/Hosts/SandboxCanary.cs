using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// Trust, but verify: one short-lived container, hardened and attached exactly as a sandbox is,
/// tries TCP to its network's gateway (the host) on the cluster's ports and the proxy's, every
/// probe at once and bounded by the probe timeout, and is removed after. What answered is the
/// <see cref="CanaryVerdict"/>.
/// </summary>
public sealed class SandboxCanary(SandboxContainerSpec containerSpec, CanaryOptions options, int proxyPort, TimeProvider clock)
{
    /// <summary>The probes' own bound, plus the engine's start and stop of a small container.</summary>
    private TimeSpan RunLimit => ProbeSeconds * TimeSpan.FromSeconds(1) + TimeSpan.FromSeconds(20);

    private int ProbeSeconds => (int)Math.Ceiling(options.ProbeTimeout.TotalSeconds);

    private IReadOnlyList<int> Ports => [.. options.Probed.Append(proxyPort).Distinct()];

    public async Task<CanaryVerdict> Run(HostContext h)
    {
        string? gateway;
        string output;
        try
        {
            // Docker hands out the address; anything else is not put into a shell script.
            gateway = await h.Engine.GatewayAsync() is { } a && IPAddress.TryParse(a, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork ? ip.ToString() : null;
            var parameters = containerSpec.BuildCanary(options.Image, h.Host, Script(gateway, Ports, ProbeSeconds), clock.GetUtcNow());
            output = await h.Engine.RunToEndAsync(parameters, RunLimit);
        }
        catch (Exception e)
        {
            return CanaryVerdict.CouldNotRun(e.Message);
        }
        return CanaryVerdict.Judge(output, gateway, Ports, proxyPort);
    }

    /// <summary>busybox sh: a line per port, <c>PORT open|refused|silent</c>; <c>nogateway</c> when there is no address to try.</summary>
    public static string Script(string? gateway, IEnumerable<int> ports, int probeSeconds) =>
        gateway is null
            ? $"echo {CanaryVerdict.NoGateway}"
            : $$"""
              for p in {{string.Join(' ', ports.Select(p => p.ToString(CultureInfo.InvariantCulture)))}}; do
                ( if out=$(nc -w {{probeSeconds.ToString(CultureInfo.InvariantCulture)}} {{gateway}} "$p" -e /bin/true 2>&1); then echo "$p {{CanaryVerdict.Open}}"
                  else case "$out" in *refused*) echo "$p {{CanaryVerdict.RefusedAnswer}}" ;; *) echo "$p {{CanaryVerdict.Silent}}" ;; esac; fi ) &
              done
              wait
              """;
}
