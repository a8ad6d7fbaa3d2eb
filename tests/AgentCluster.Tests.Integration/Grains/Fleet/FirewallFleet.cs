using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Grains.Fleet;

/// <summary>
/// The real engines behind the firewall of deploy/host/sandbox-firewall.sh, letting their
/// sandboxes reach <see cref="ProxyPort"/> on their gateway; a listener on every address of this
/// machine (0.0.0.0), which no sandbox may reach; and a fleet whose canary tries that listener's
/// port every second.
/// </summary>
public sealed class FirewallFleet : IAsyncLifetime
{
    public FirewallFleet()
    {
        Fleet = new FleetSilo(new Dictionary<string, string?>
        {
            ["AgentCluster:Fleet:ProxyPort"] = ProxyPort.ToString(CultureInfo.InvariantCulture),
            ["AgentCluster:Fleet:Canary:Ports:0"] = ListenerPort.ToString(CultureInfo.InvariantCulture),
            ["AgentCluster:Fleet:Canary:Interval"] = "00:00:01",
        });
    }

    public int ProxyPort { get; } = FreePort.Next();

    public TcpListener HostListener { get; } = new(IPAddress.Any, FreePort.Next());

    public int ListenerPort => ((IPEndPoint)HostListener.LocalEndpoint).Port;

    public FleetSilo Fleet { get; }

    /// <summary>Each engine's sandbox bridge and gateway, in the fleet's order.</summary>
    public IReadOnlyList<(string Bridge, string Gateway)> Engines { get; private set; } = [];

    public async Task InitializeAsync()
    {
        HostListener.Start();
        Engines = await SandboxFirewall.AllowProxy(ProxyPort);
        await Fleet.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Fleet.DisposeAsync();
        }
        finally
        {
            HostListener.Stop();
            HostListener.Dispose();
            // Whatever a test did to them, the engines leave with their rule sets in place.
            await SandboxFirewall.AllowProxy(ProxyPort);
        }
    }
}
