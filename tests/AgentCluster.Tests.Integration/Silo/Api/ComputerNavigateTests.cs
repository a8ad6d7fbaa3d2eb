using AgentCluster.Api.V1;
using AgentCluster.ComputerProtocol;
using static AgentCluster.Tests.Integration.Grains.Computer.DesktopContainer;

namespace AgentCluster.Tests.Integration.Silo.Api;

/// <summary>Navigate types the URL into the address bar: the browser must get it whole, long and not all ASCII.</summary>
[Collection(ComputerNodeCollection.Name)]
public sealed class ComputerNavigateTests(ComputerNodeFixture node)
{
    private static readonly (byte, byte, byte) Green = (0, 200, 0);

    [Fact]
    public async Task A_long_url_with_text_beyond_ascii_arrives_whole()
    {
        var desk = node.Main;
        await desk.With(async session =>
        {
            // The page checks its own address: green only when the padding and the marker after it arrived as sent.
            var padding = new string('a', 1500);
            const string marker = "fin-été-終";
            // UTF-8 said outright: a data: page without a charset reads its own script as windows-1252.
            await desk.Act(new ActRequest
            {
                Session = session.Id, Action = "navigate",
                Url = "data:text/html;charset=utf-8,<body style=\"margin:0;background:rgb(220,0,0)\"><script>"
                    + $"var u=decodeURIComponent(location.href);if(u.indexOf('{padding}')>0&&u.endsWith('{marker}'))"
                    + "document.body.style.background='rgb(0,200,0)'</script><!--" + marker,
            });
            await desk.WaitForColour(session.Id, 1000, 600, Green, "the page that found its whole address");
        });
    }
}
