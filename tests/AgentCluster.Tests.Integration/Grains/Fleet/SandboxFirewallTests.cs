using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Grains.Fleet;

/// <summary>
/// From inside a real sandbox: its host answers on the proxy's port of the gateway and nowhere
/// else, even where a server listens on every address; and a host whose rule set is gone is found
/// Unsafe by its canary at the next check, and gets no new session.
/// </summary>
public sealed class SandboxFirewallTests(FirewallFleet fixture) : IClassFixture<FirewallFleet>
{
    private FleetSilo Fleet => fixture.Fleet;

    private IDockerHostGrain Host(int engine) => Fleet.Grains.GetGrain<IDockerHostGrain>(Fleet.HostName(engine));

    [Fact]
    public async Task A_sandbox_reaches_the_proxy_port_on_its_gateway_and_nothing_else_of_its_host()
    {
        var (bridge, gateway) = fixture.Engines[0];
        Assert.True(await SandboxFirewall.InPlace(bridge, gateway, fixture.ProxyPort), $"the rule set of {bridge} is not in place");
        using var proxy = new TcpListener(IPAddress.Parse(gateway), fixture.ProxyPort);
        proxy.Start();
        var launch = await Host(0).Launch(Fleet.Spec(TimeSpan.FromMinutes(2)));
        Assert.Equal(LaunchStatus.Started, launch.Status);
        // The listener is there: this machine reaches it on the gateway's address itself.
        Assert.True(await Connects(gateway, fixture.ListenerPort));

        var toListener = await FromSandbox(launch.ContainerId!, gateway, fixture.ListenerPort);
        var toProxy = await FromSandbox(launch.ContainerId!, gateway, fixture.ProxyPort);

        Assert.Equal("dropped", toListener);
        Assert.Equal("connected", toProxy);
        Assert.Contains(launch.IpAddress, await Callers(proxy));
        await Host(0).Kill(launch.ContainerId!);
    }

    [Fact]
    public async Task Without_its_rule_set_a_host_is_found_unsafe_at_the_next_check_and_gets_no_new_session()
    {
        var (bridge, _) = fixture.Engines[0];
        await Eventually.Healthy(Host(0));
        try
        {
            await SandboxFirewall.Remove(bridge);
            await Eventually.True(async () => (await Host(0).GetStatus())?.Health == HostHealth.Unsafe, "host 0 to be Unsafe", TimeSpan.FromSeconds(30));
            Assert.Contains($"on port(s) {fixture.ListenerPort.ToString(CultureInfo.InvariantCulture)};", (await Host(0).GetStatus())!.UnsafeReason);

            var refused = await Host(0).Launch(Fleet.Spec(TimeSpan.FromMinutes(2)));
            Assert.Equal(LaunchStatus.HostUnavailable, refused.Status);
            Assert.Contains("is Unsafe: a sandbox reaches", refused.Error);
            var placed = await Fleet.Grains.GetGrain<IFleetGrain>(IFleetGrain.Key).Launch(Fleet.Spec(TimeSpan.FromMinutes(2)));
            Assert.Equal((LaunchStatus.Started, Fleet.HostName(1)), (placed.Status, placed.Host));
            Assert.Empty(await Fleet.OurContainers(0));
        }
        finally
        {
            await SandboxFirewall.AllowProxy(fixture.ProxyPort);
        }

        // The rule set back, the next canary finds the host safe again.
        await Eventually.Healthy(Host(0));
    }

    /// <summary>What a TCP connection from the sandbox to its host met: connected, refused (nothing listens, nothing drops) or dropped.</summary>
    private async Task<string> FromSandbox(string containerId, string address, int port)
    {
        var (_, output) = await DockerHosts.Docker(Fleet.Endpoints[0], "exec", containerId, "sh", "-c",
            $"if out=$(nc -w 3 {address} {port} -e /bin/true 2>&1); then echo connected; else case \"$out\" in *refused*) echo refused ;; *) echo dropped ;; esac; fi");
        return output.Trim();
    }

    /// <summary>Who connected to the stand-in proxy: the sandbox, and the host's canary (it tries the proxy's port too).</summary>
    private static async Task<List<string>> Callers(TcpListener proxy)
    {
        var callers = new List<string>();
        while (proxy.Pending())
        {
            using var accepted = await proxy.AcceptTcpClientAsync();
            callers.Add(((IPEndPoint)accepted.Client.RemoteEndPoint!).Address.ToString());
        }
        return callers;
    }

    private static async Task<bool> Connects(string address, int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Parse(address), port).WaitAsync(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return false;
        }
    }
}
