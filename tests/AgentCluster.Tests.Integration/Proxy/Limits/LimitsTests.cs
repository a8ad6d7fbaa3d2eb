using System.Net;
using System.Net.Sockets;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Proxy.Limits;

/// <summary>Per-session caps and upstream failures, on a proxy of their own with tight limits.</summary>
public sealed class LimitsTests(EgressNodeFixture node) : IClassFixture<EgressNodeFixture>
{
    private static readonly string[] Tight =
    [
        .. EgressNodeFixture.LoopbackClients, "--AgentCluster:Egress:AllowedRanges:0=127.0.0.0/8",
        "--AgentCluster:Egress:MaxConcurrentPerSession=1", "--AgentCluster:Egress:RequestsPerSecond=1",
        "--AgentCluster:Egress:RequestBurst=5", "--AgentCluster:Egress:UpstreamActivityTimeout=00:00:02",
    ];

    [Fact]
    public async Task A_silent_upstream_times_out_with_504_and_holds_the_sessions_only_slot_meanwhile()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var held = new List<TcpClient>();
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                    held.Add(await silent.AcceptTcpClientAsync());
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // The listener was stopped at the end of the test.
            }
        });
        var session = await node.NewSession($"127.0.0.1:{port}");
        await using var proxy = await ProxyProcess.StartAsync(node.Silo.GatewayPort, Tight);
        var request = $"GET http://127.0.0.1:{port}/slow HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            + $"Proxy-Authorization: {session.ProxyAuthorization}\r\nConnection: close\r\n\r\n";

        var slow = RawHttp.SendAsync(proxy.Port, request, TimeSpan.FromSeconds(30));
        await Eventually.True(() => Task.FromResult(held.Count > 0), "the proxy's connection to the silent upstream");
        var second = await RawHttp.SendAsync(proxy.Port, request);

        Assert.Equal(429, second.Status);
        Assert.Equal(504, (await slow).Status);
        await Eventually.True(async () => (await BrokerAudit.Rows(node.DataDir, node.Tenant)).Any(r =>
            r.Outcome == "failed" && r.Reason.StartsWith("upstream-", StringComparison.Ordinal)), "the timeout's audit row");
        Assert.Contains((await BrokerAudit.Rows(node.DataDir, node.Tenant)), r => r.Reason == "concurrency-limit");
        held.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task A_burst_over_the_rate_gets_429_and_a_closed_port_gets_502()
    {
        var closed = FreePort.Next();
        var session = await node.NewSession($"127.0.0.1:{node.Upstream.Port}", $"127.0.0.1:{closed}");
        await using var proxy = await ProxyProcess.StartAsync(node.Silo.GatewayPort, Tight);
        string Get(int port) => $"GET http://127.0.0.1:{port}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            + $"Proxy-Authorization: {session.ProxyAuthorization}\r\nConnection: close\r\n\r\n";

        Assert.Equal(502, (await RawHttp.SendAsync(proxy.Port, Get(closed))).Status);
        var statuses = new List<int>();
        for (var i = 0; i < 20; i++)
            statuses.Add((await RawHttp.SendAsync(proxy.Port, Get(node.Upstream.Port))).Status);

        Assert.Contains(200, statuses);
        Assert.Contains(429, statuses);
        Assert.All(statuses, s => Assert.Contains(s, new[] { 200, 429 }));
    }
}
