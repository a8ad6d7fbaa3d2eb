using AgentCluster.Api.V1;
using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Integration.Infrastructure;
using AgentCluster.Tests.Integration.Silo.Api;
using Google.Protobuf.WellKnownTypes;
using static AgentCluster.Tests.Integration.Sandbox.Egress.ShopPages;

namespace AgentCluster.Tests.Integration.Sandbox.Egress;

/// <summary>
/// A pooled desktop waits on the computer server's waiting page, and its claim hands that page the
/// session's first page (no typed URL). Through a real proxy to an HTTPS shop on loopback: the shop
/// gets the page's request with nothing of the waiting page in it, and once handed off the waiting
/// page's name is an ordinary host, which the session's proxy refuses to a hostile page.
/// </summary>
public sealed class PooledFirstPageTests(PooledDesktopEgressFixture node) : IClassFixture<PooledDesktopEgressFixture>
{
    private const string WaitingHost = "agentcluster.invalid";

    [Fact]
    public async Task A_claimed_desktop_opens_its_start_url_from_the_waiting_page_and_the_page_is_gone_after()
    {
        var desk = node.Desk;
        await Eventually.True(async () => await PooledComputerNodeFixture.Warm() == DockerHosts.Endpoints.Count * PooledComputerNodeFixture.PoolSize,
            "every host's desktop pool to fill", TimeSpan.FromSeconds(120));
        var before = node.Shop.Requests.Count;

        var session = await desk.Orchestrator.Sessions.CreateSessionAsync(new CreateSessionRequest
        {
            Image = desk.DesktopImage, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(10)), AllowHosts = { node.ShopHost }, StartUrl = node.Url("/shop"),
        });
        try
        {
            Assert.True(session.State == "Ready", $"the session is {session.State}: {session.Reason}");
            var endpoint = DockerHosts.Endpoints[int.Parse(session.Host[1..], System.Globalization.CultureInfo.InvariantCulture)];
            var (code, pool) = await DockerHosts.Docker(endpoint, "inspect", "-f", $"{{{{index .Config.Labels \"{SandboxLabels.Pool}\"}}}}", session.ContainerId);
            Assert.True(code == 0 && pool.Trim() == session.Host, $"session {session.Id}'s container is no pool container of {session.Host}: '{pool.Trim()}'");
            await desk.WaitForColour(session.Id, 1000, 600, Green, "the shop page, the claim's first page");

            var first = node.Shop.Requests.Skip(before).First(r => r.RequestLine.StartsWith("GET /shop ", StringComparison.Ordinal));
            // The page opened it: a URL typed into the bar is a navigation of no site ("none").
            Assert.Equal(["cross-site"], first.Header("Sec-Fetch-Site"));
            Assert.Empty(first.Header("Referer"));
            Assert.DoesNotContain(WaitingHost, first.Head, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(await desk.AuditRows(session.Id), r => (r.Reason + r.Detail).Contains(WaitingHost, StringComparison.Ordinal));

            // A hostile page asks for the waiting page's hand-off: it is the session's proxy that answers, and refuses.
            await desk.Open(session.Id, $"<script>fetch('http://{WaitingHost}/next').catch(() => 0)</script>");
            await Eventually.True(async () => (await desk.AuditRows(session.Id))
                .Any(r => r.Kind == "egress.denied" && (r.Reason + r.Detail).Contains(WaitingHost, StringComparison.Ordinal)),
                "the session's proxy refusing the waiting page's name", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await desk.Kill(session);
        }
    }
}
