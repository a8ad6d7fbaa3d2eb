using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using AgentCluster.Tests.Integration.Proxy;

namespace AgentCluster.Tests.Integration.Grains.Fleet;

/// <summary>
/// From inside a real sandbox: the proxy bound on its internal network's gateway is its way out
/// (the sandbox's own HTTP_PROXY, the stub swapped on the way), and the loopback upstream is
/// reachable through it only.
/// </summary>
public sealed class SandboxNetworkTests(EgressNodeFixture node) : IClassFixture<EgressNodeFixture>
{
    [Fact]
    public async Task A_sandbox_reaches_an_allowlisted_upstream_through_its_proxy_with_the_credential_swapped()
    {
        var session = await node.NewSession($"127.0.0.1:{node.Upstream.Port}");
        var gateway = new Uri(session.ProxyUrl).Host;
        // The proxy as production runs it: bound on the network's gateway, where HTTP_PROXY points.
        await using var onGateway = await ProxyProcess.StartAsync(node.Silo.GatewayPort,
            [$"--AgentCluster:ListenAddress={gateway}", "--AgentCluster:Egress:AllowedRanges:0=127.0.0.0/8"], node.ProxyPort);
        var stub = (await node.Admin.Grants.RequestGrantAsync(new RequestGrantRequest
        {
            Session = session.Id, Resource = "echo", Action = "read",
        })).Token;
        var endpoint = DockerHosts.Endpoints[int.Parse(session.Session.Host[1..], System.Globalization.CultureInfo.InvariantCulture)];
        var before = node.Upstream.Requests.Count;

        var script = SandboxShell.GetThroughOwnProxy(node.Upstream.Port, "/from-sandbox", stub);
        var (code, output) = await DockerHosts.Docker(endpoint, "exec", session.Session.ContainerId, "sh", "-c", script);

        Assert.True(code == 0, $"nc exited {code}: {output}");
        Assert.StartsWith("HTTP/1.1 200", output, StringComparison.Ordinal);
        var received = Assert.Single(node.Upstream.Requests.Skip(before));
        Assert.Equal("GET /from-sandbox HTTP/1.1", received.RequestLine);
        Assert.Equal($"Bearer {EgressNodeFixture.Secret}", Assert.Single(received.Header("Authorization")));
        Assert.Contains($"Authorization: Bearer {stub}", output, StringComparison.Ordinal);
        Assert.DoesNotContain(EgressNodeFixture.Secret, output, StringComparison.Ordinal);

        // Without the proxy, the same upstream is out of reach.
        var direct = await DockerHosts.Docker(endpoint, "exec", session.Session.ContainerId, "sh", "-c",
            $"printf 'GET /direct HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' | nc -w 3 {gateway} {node.Upstream.Port}");
        Assert.NotEqual(0, direct.ExitCode);
        Assert.Single(node.Upstream.Requests.Skip(before));

        // Nor does it resolve names: its resolver sends outside lookups nowhere.
        var lookup = await DockerHosts.Docker(endpoint, "exec", session.Session.ContainerId, "sh", "-c",
            "nslookup agentcluster-upstream.test; echo \"exit=$?\"");
        Assert.Contains("exit=1", lookup.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Address 1:", lookup.Output, StringComparison.Ordinal);
        var inspect = await DockerHosts.Docker(endpoint, "inspect", "-f", "{{json .HostConfig.Dns}}", session.Session.ContainerId);
        Assert.Equal("[\"127.0.0.1\"]", inspect.Output.Trim());
    }
}
