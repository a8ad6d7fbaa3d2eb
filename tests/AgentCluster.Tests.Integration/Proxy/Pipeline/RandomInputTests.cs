using System.Text;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Proxy.Pipeline;

/// <summary>
/// A bounded random-input run: a fixed seed and a fixed count of mangled requests. The proxy must
/// live through all of them, and the only things it may forward are well-formed requests for the
/// session's allowlisted upstream; a second upstream that nothing allows must see no connection.
/// </summary>
public sealed class RandomInputTests(EgressNodeFixture node) : IClassFixture<EgressNodeFixture>
{
    private const int Seed = 20261126;
    private const int Count = 400;
    private static readonly string[] Junk = ["\r", "\n", "\r\n", "\0", " ", ":", "@", "[", "]", "%", "agc_", "\t", "é", "0x", ".", "\r\n\r\n"];

    [Fact]
    public async Task Mangled_requests_never_crash_the_proxy_or_reach_anything_not_allowed()
    {
        var session = await node.Shared;
        await using var sentinel = new LoopbackUpstream();
        var random = new Random(Seed);
        var forwardedBefore = node.Upstream.Requests.Count;
        var answered = 0;

        for (var i = 0; i < Count; i++)
        {
            var port = random.Next(4) == 0 ? sentinel.Port : node.Upstream.Port;
            var host = random.Next(3) switch { 0 => "127.0.0.1", 1 => "localhost", _ => "0x7f.1" };
            var request = Mangle(random,
                $"{Method(random)} http://{host}:{port}/p?q={i} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                + $"Proxy-Authorization: {session.ProxyAuthorization}\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc");
            var response = await RawHttp.SendAsync(node.ProxyPort, request, TimeSpan.FromSeconds(8));
            if (response.Status != 0)
                answered++;
            Assert.False(node.Proxy.HasExited, $"the proxy died on request {i}: {request}");
        }

        Assert.Equal(0, sentinel.Connections);
        Assert.All(node.Upstream.Requests.Skip(forwardedBefore), r =>
        {
            Assert.Empty(r.Header("Proxy-Authorization"));
            Assert.Contains(Assert.Single(r.Header("Host")), new[] { $"127.0.0.1:{node.Upstream.Port}", $"localhost:{node.Upstream.Port}" });
        });
        Assert.True(answered > Count / 2, $"only {answered} of {Count} got any answer");
    }

    private static string Method(Random random) => random.Next(5) switch { 0 => "POST", 1 => "PUT", 2 => "G ET", 3 => "CONNECT", _ => "GET" };

    private static string Mangle(Random random, string request)
    {
        var text = new StringBuilder(request);
        for (var edits = random.Next(1, 4); edits > 0 && text.Length > 1; edits--)
        {
            var at = random.Next(text.Length);
            switch (random.Next(4))
            {
                case 0:
                    text.Insert(at, Junk[random.Next(Junk.Length)]);
                    break;
                case 1:
                    text.Remove(at, Math.Min(random.Next(1, 8), text.Length - at));
                    break;
                case 2:
                    text[at] = (char)random.Next(0, 256);
                    break;
                default:
                    var lines = text.ToString().Split("\r\n");
                    var line = lines[random.Next(lines.Length)];
                    text.Insert(text.ToString().IndexOf("\r\n", StringComparison.Ordinal) + 2, line + "\r\n");
                    break;
            }
        }
        return text.ToString();
    }
}
