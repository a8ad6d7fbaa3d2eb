using System.Globalization;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Proxy.Egress;

/// <summary>
/// Through a real proxy, configured with the silo's own ports as a deployment's processes share
/// their configuration: an allowed range that takes in loopback still never reaches them.
/// </summary>
public sealed class ClusterPortTests(EgressNodeFixture node) : IClassFixture<EgressNodeFixture>
{
    [Fact]
    public async Task No_allowed_range_lets_the_proxy_reach_the_clusters_own_ports_on_this_machine()
    {
        await using var proxy = await ProxyProcess.StartAsync(node.Silo.GatewayPort,
        [
            .. EgressNodeFixture.LoopbackClients, "--AgentCluster:Egress:AllowedRanges:0=127.0.0.0/8",
            $"--AgentCluster:Ports:Api={node.Silo.ApiPort}", $"--AgentCluster:Ports:Admin={node.Silo.AdminPort}",
            $"--AgentCluster:Ports:Silo={node.Silo.SiloPort}",
        ]);
        var session = await node.NewSession($"127.0.0.1:{node.Silo.AdminPort}", $"127.0.0.1:{node.Silo.ApiPort}", $"127.0.0.1:{node.Upstream.Port}");
        // The admin port answers on loopback: the target the proxy refuses is real.
        using (var http = new HttpClient())
            Assert.True((await http.GetAsync($"{node.Silo.AdminEndpoint}/healthz")).IsSuccessStatusCode);

        var admin = await RawHttp.SendAsync(proxy.Port, Get(node.Silo.AdminPort, "/healthz", session));
        var api = await RawHttp.SendAsync(proxy.Port, Get(node.Silo.ApiPort, "/", session));
        var upstream = await RawHttp.SendAsync(proxy.Port, Get(node.Upstream.Port, "/cluster-port-control", session));

        Assert.Equal((403, 403, 200), (admin.Status, api.Status, upstream.Status));
        Assert.DoesNotContain("Healthy", admin.Body, StringComparison.OrdinalIgnoreCase);
        await node.AuditRow(r => r.Kind == "egress.denied" && r.Reason == "address-cluster-port", "the cluster port's refusal");
    }

    private static string Get(int port, string path, SandboxSession session)
    {
        var target = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        return $"GET http://{target}{path} HTTP/1.1\r\nHost: {target}\r\nProxy-Authorization: {session.ProxyAuthorization}\r\nConnection: close\r\n\r\n";
    }
}
