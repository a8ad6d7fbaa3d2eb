using AgentCluster.Api.V1;
using AgentCluster.ComputerProtocol;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using static AgentCluster.Tests.Integration.Grains.Computer.DesktopContainer;
using static AgentCluster.Tests.Integration.Sandbox.Egress.ShopPages;

namespace AgentCluster.Tests.Integration.Sandbox.Egress;

/// <summary>What reaches a desktop's container, and what inspect_tls changes at the wire.</summary>
[Collection(DesktopEgressCollection.Name)]
public sealed class InspectTlsTests(DesktopEgressFixture node)
{
    [Fact]
    public async Task A_desktops_environment_holds_the_proxy_ca_and_never_a_proxy_credential()
    {
        await node.Desk.With(async session =>
        {
            var endpoint = DockerHosts.Endpoints[int.Parse(session.Host[1..], System.Globalization.CultureInfo.InvariantCulture)];
            var (code, env) = await DockerHosts.Docker(endpoint, "inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}", session.ContainerId);
            Assert.True(code == 0, env);
            Assert.DoesNotContain("PROXY=", env, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(session.Id + ":", env, StringComparison.Ordinal);
            var ca = env.Split('\n').Single(l => l.StartsWith("AGENTCLUSTER_PROXY_CA=", StringComparison.Ordinal));
            Assert.Contains("-----BEGIN CERTIFICATE-----", ca, StringComparison.Ordinal);
        }, null, node.ShopHost);
    }

    [Fact]
    public async Task Without_inspect_tls_the_browser_gets_a_blind_tunnel_and_the_shops_own_certificate_which_it_does_not_trust()
    {
        var session = await node.Desk.Orchestrator.Sessions.CreateSessionAsync(new CreateSessionRequest
        {
            Image = Environment.GetEnvironmentVariable(ImageVariable), Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)),
            AllowHosts = { node.ShopHost }, InspectTls = false,
        });
        try
        {
            Assert.Equal(("Ready", false), (session.State, session.InspectTls));
            var (connections, requests) = (node.Shop.Connections, node.Shop.Requests.Count);
            await node.Desk.Act(new ActRequest { Session = session.Id, Action = "navigate", Url = node.Url("/shop") });
            // The browser's own TLS reaches the shop through the tunnel, meets the shop's certificate
            // (from a CA only the proxy trusts) and goes no further: no request, no shop page.
            await Eventually.True(() => Task.FromResult(node.Shop.Connections > connections), "the tunnelled connection at the shop", TimeSpan.FromSeconds(30));
            await node.Desk.Act(new ActRequest { Session = session.Id, Action = "wait", Milliseconds = 2000 });
            Assert.False(Near(PngImage.Decode((await node.Desk.Screenshot(session.Id)).Png.Span).Pixel(1000, 600), Green), "the shop page loaded without interception");
            Assert.Equal(requests, node.Shop.Requests.Count);
        }
        finally
        {
            await node.Desk.Kill(session);
        }
    }
}
