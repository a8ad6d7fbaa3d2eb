using AgentCluster.ComputerProtocol;
using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Integration.Infrastructure;
using static AgentCluster.Tests.Integration.Grains.Computer.DesktopContainer;

namespace AgentCluster.Tests.Integration.Silo.Api;

/// <summary>
/// Desktop sessions from the warm pool on a real node: every session egresses (its server is
/// handed its proxy credential and the proxy CA at the claim), and none has to launch cold.
/// </summary>
public sealed class DesktopPoolApiTests(PooledComputerNodeFixture node) : IClassFixture<PooledComputerNodeFixture>
{
    private static readonly (byte, byte, byte) White = (255, 255, 255), Green = (0, 200, 0);

    [Fact]
    public async Task A_desktop_session_with_egress_is_served_from_the_pool_and_shows_its_browser_at_once()
    {
        var desk = node.Main;
        var hosts = DockerHosts.Endpoints.Count;
        await Eventually.True(async () => await PooledComputerNodeFixture.Warm() == hosts * PooledComputerNodeFixture.PoolSize,
            "every host's desktop pool to fill", TimeSpan.FromSeconds(120));

        await desk.With(async session =>
        {
            Assert.True(session.Desktop);
            var endpoint = DockerHosts.Endpoints[int.Parse(session.Host[1..], System.Globalization.CultureInfo.InvariantCulture)];
            var (code, pool) = await DockerHosts.Docker(endpoint, "inspect", "-f", $"{{{{index .Config.Labels \"{SandboxLabels.Pool}\"}}}}", session.ContainerId);
            Assert.True(code == 0 && pool.Trim() == session.Host, $"session {session.Id}'s container is no pool container of {session.Host}: '{pool.Trim()}'");

            var first = PngImage.Decode((await desk.Screenshot(session.Id)).Png.Span);
            Assert.True(Near(first.Pixel(DesktopScreen.BlankX, DesktopScreen.BlankY), White), $"the first screenshot shows {first.Pixel(DesktopScreen.BlankX, DesktopScreen.BlankY)}, not the browser's blank page");
            await desk.Open(session.Id, "<body style=\"margin:0;background:rgb(0,200,0)\"></body>");
            await desk.WaitForColour(session.Id, 1000, 600, Green, "the pooled desktop to show the green page");
        }, null, "127.0.0.1:9");

        await Eventually.True(async () => await PooledComputerNodeFixture.Warm() == hosts * PooledComputerNodeFixture.PoolSize,
            "the pool to refill after the claim", TimeSpan.FromSeconds(120));
    }

    [Fact]
    public async Task A_pooled_desktop_goes_to_its_start_url_at_the_claim()
    {
        var desk = node.Main;
        await Eventually.True(async () => await PooledComputerNodeFixture.Warm() == DockerHosts.Endpoints.Count * PooledComputerNodeFixture.PoolSize,
            "every host's desktop pool to fill", TimeSpan.FromSeconds(120));

        var session = await desk.Orchestrator.Sessions.CreateSessionAsync(new AgentCluster.Api.V1.CreateSessionRequest
        {
            Image = desk.DesktopImage, Ttl = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMinutes(10)),
            AllowHosts = { "127.0.0.1:9" }, StartUrl = "data:text/html,<body style=\"margin:0;background:rgb(0,200,0)\"></body>",
        });
        try
        {
            Assert.True(session.State == "Ready", $"the session is {session.State}: {session.Reason}");
            var endpoint = DockerHosts.Endpoints[int.Parse(session.Host[1..], System.Globalization.CultureInfo.InvariantCulture)];
            var (code, pool) = await DockerHosts.Docker(endpoint, "inspect", "-f", $"{{{{index .Config.Labels \"{SandboxLabels.Pool}\"}}}}", session.ContainerId);
            Assert.True(code == 0 && pool.Trim() == session.Host, $"session {session.Id}'s container is no pool container of {session.Host}: '{pool.Trim()}'");
            await desk.WaitForColour(session.Id, 1000, 600, Green, "the pooled desktop to show its start URL's green page");
        }
        finally
        {
            await desk.Kill(session);
        }
    }
}
