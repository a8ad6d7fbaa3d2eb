using System.Net;
using System.Net.Sockets;
using System.Text;
using AgentCluster.ComputerProtocol;
using AgentCluster.ComputerServer.Browser;
using AgentCluster.ComputerServer.Egress;
using AgentCluster.ComputerServer.Serving;

namespace AgentCluster.Tests.Unit.SandboxServer.Browser;

/// <summary>
/// The waiting page through the real forwarder on loopback, in front of a stand-in for the egress
/// proxy: served from memory before any session exists, its wait answered by the hand-off, and an
/// ordinary host (sent to the session's proxy) once handed off.
/// </summary>
public sealed class WaitingPageTests : IAsyncLifetime
{
    private const string Shop = "https://shop.test/cart?item=1";
    private readonly ProxyConfiguration _configuration = new();
    private readonly WaitingPage _page = new(shown: true);
    private readonly TcpListener _egress = new(IPAddress.Loopback, 0);
    private ProxyForwarder _forwarder = null!;

    public Task InitializeAsync()
    {
        _egress.Start();
        _forwarder = new ProxyForwarder(_configuration, 0, TimeSpan.FromMilliseconds(300), _page);
        _forwarder.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _forwarder.DisposeAsync();
        _egress.Stop();
    }

    [Fact]
    public async Task The_page_is_served_before_any_configure_and_nothing_reaches_the_proxy()
    {
        var answer = await Get("/");

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/html", answer, StringComparison.Ordinal);
        Assert.Contains("location.replace", answer, StringComparison.Ordinal);
        Assert.Contains("no-referrer", answer, StringComparison.Ordinal);
        Assert.False(_page.Listening.IsCompleted, "serving the page is not yet its wait");
        Assert.False(_egress.Pending(), "a connection reached the egress proxy");
    }

    [Fact]
    public async Task Its_wait_is_held_until_the_hand_off_and_answered_with_the_first_page()
    {
        var (waiting, fetching) = await Listen();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted, "the wait was answered before the hand-off");

        Assert.True(_page.TryHandOff(Shop));

        Assert.StartsWith("HTTP/1.1 204 ", await fetching, StringComparison.Ordinal);
        var answer = await waiting;
        Assert.StartsWith("HTTP/1.1 302 Found\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("\r\nLocation: " + Shop + "\r\n", answer, StringComparison.Ordinal);
        Assert.Contains("\r\nReferrer-Policy: no-referrer\r\n", answer, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", answer, StringComparison.Ordinal);
        Assert.False(_page.IsOpen);
        Assert.False(_page.TryHandOff("https://shop.test/again"), "a second hand-off");
    }

    [Fact]
    public async Task The_page_waits_by_a_navigation_and_by_a_fetch_begun_before_it()
    {
        var answer = await Get("/");

        var fetch = answer.IndexOf("fetch(\"/wait\"", StringComparison.Ordinal);
        var navigation = answer.IndexOf("location.replace(\"/next\")", StringComparison.Ordinal);
        Assert.True(fetch > 0 && navigation > fetch, "the fetch of /wait, then the navigation to /next");
    }

    [Fact]
    public async Task Claimed_without_a_first_page_its_navigation_ends_and_its_fetch_takes_the_first_navigate()
    {
        var (waiting, fetching) = await Listen();

        _page.Claimed();

        Assert.StartsWith("HTTP/1.1 204 ", await waiting, StringComparison.Ordinal);
        Assert.True(_page.IsOpen, "the page still waits for the first navigate");
        await Task.Delay(50);
        Assert.False(fetching.IsCompleted, "the fetch was answered before the first navigate");

        Assert.True(_page.TryHandOff(Shop));
        var answer = await fetching;
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n" + Shop, answer, StringComparison.Ordinal);
        Assert.False(_page.IsOpen);
        Assert.False(_page.TryHandOff("https://shop.test/again"), "a second hand-off");
    }

    [Fact]
    public async Task A_claim_after_the_hand_off_or_the_close_changes_nothing()
    {
        var (waiting, fetching) = await Listen();
        _page.Close();
        _page.Claimed();

        Assert.StartsWith("HTTP/1.1 204 ", await waiting, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 204 ", await fetching, StringComparison.Ordinal);
        Assert.False(_page.TryHandOff(Shop));
    }

    [Theory]
    [InlineData("about:blank", "about:blank")]
    [InlineData("https://shop.test/caf\u00e9", "https://shop.test/caf\\u00E9")]
    [InlineData("https://shop.test/a b", "https://shop.test/a b")]
    public async Task A_first_page_no_redirect_may_carry_is_opened_by_a_script(string url, string encoded)
    {
        var (waiting, _) = await Listen();

        Assert.True(_page.TryHandOff(url));

        var answer = await waiting;
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\nLocation:", answer, StringComparison.Ordinal);
        Assert.Contains($"<script>location.replace(\"{encoded}\")</script>", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hostile_first_page_cannot_break_out_of_the_script_that_opens_it()
    {
        var (waiting, _) = await Listen();

        // Not printable ASCII (the space, the e-acute), so a script opens it: its quote and tags stay inside the string.
        Assert.True(_page.TryHandOff("https://shop.test/\u00e9 \"</script><script>steal()//"));

        var answer = await waiting;
        var body = answer[(answer.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        Assert.Equal(1, body.Split("<script>").Length - 1);
        Assert.Equal(1, body.Split("</script>").Length - 1);
        Assert.DoesNotContain("\"</", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_hand_off_its_host_goes_to_the_sessions_proxy_like_any_other()
    {
        var (waiting, _) = await Listen();
        Assert.True(_page.TryHandOff(Shop));
        await waiting;
        _configuration.Set(new ProxySettings($"http://127.0.0.1:{((IPEndPoint)_egress.LocalEndpoint).Port}", "ses_abc:s3cret", null));

        var again = Get("/next");

        using var egress = await _egress.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(20));
        var (head, _) = await HeadReader.ReadAsync(egress.GetStream(), 4096, CancellationToken.None);
        Assert.StartsWith($"GET {WaitingPage.Url}next HTTP/1.1\r\n", Encoding.Latin1.GetString(head!), StringComparison.Ordinal);
        egress.Close();
        await again;
    }

    [Fact]
    public async Task A_page_not_listening_both_ways_yet_is_not_handed_off()
    {
        Assert.False(_page.TryHandOff(Shop), "no one listens yet");
        var waiting = Get("/next");
        await Task.Delay(200);
        Assert.False(_page.TryHandOff(Shop), "only the navigation waits");
        Assert.True(_page.IsOpen);
        _page.Close();
        Assert.StartsWith("HTTP/1.1 204 ", await waiting, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_url_is_typed_not_handed_off_since_a_page_may_not_open_one()
    {
        var (waiting, fetching) = await Listen();

        Assert.False(_page.TryHandOff("data:text/html,<h1>x</h1>"));
        Assert.True(_page.IsOpen);
        _page.Close();
        Assert.StartsWith("HTTP/1.1 204 ", await waiting, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 204 ", await fetching, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Closed_before_the_page_listens_its_wait_is_answered_with_nothing_and_its_name_is_forwarded()
    {
        _page.Close();

        Assert.False(_page.IsOpen);
        Assert.False(_page.TryHandOff(Shop));
        var answer = await Get("/next");
        Assert.StartsWith("HTTP/1.1 503 ", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST http://agentcluster.invalid/next HTTP/1.1")]
    [InlineData("GET http://agentcluster.invalid/other HTTP/1.1")]
    [InlineData("GET http://agentcluster.invalid/next?x=1 HTTP/1.1")]
    [InlineData("POST http://agentcluster.invalid/wait HTTP/1.1")]
    [InlineData("GET http://agentcluster.invalid/wait/ HTTP/1.1")]
    public async Task Anything_else_under_its_name_is_404_and_never_waits(string requestLine)
    {
        var answer = await Send(requestLine);

        Assert.StartsWith("HTTP/1.1 404 ", answer, StringComparison.Ordinal);
        Assert.False(_page.Listening.IsCompleted);
        Assert.False(_egress.Pending(), "a connection reached the egress proxy");
    }

    [Fact]
    public async Task A_server_started_on_a_first_page_never_serves_it()
    {
        var shown = new WaitingPage(shown: false);
        await using var forwarder = new ProxyForwarder(_configuration, 0, TimeSpan.FromMilliseconds(300), shown);
        forwarder.Start();

        var answer = await Send($"GET {WaitingPage.Url} HTTP/1.1", forwarder.LocalPort);

        Assert.StartsWith("HTTP/1.1 503 ", answer, StringComparison.Ordinal);
        Assert.False(shown.TryHandOff(Shop));
    }

    /// <summary>The page's two waits, held: its navigation to /next and its fetch of /wait.</summary>
    private async Task<(Task<string> Waiting, Task<string> Fetching)> Listen()
    {
        var waiting = Get("/next");
        var fetching = Get("/wait");
        await _page.Listening.WaitAsync(TimeSpan.FromSeconds(20));
        return (waiting, fetching);
    }

    private Task<string> Get(string path) => Send($"GET {WaitingPage.Url}{path.TrimStart('/')} HTTP/1.1");

    private async Task<string> Send(string requestLine, int? port = null)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port ?? _forwarder.LocalPort);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{requestLine}\r\nHost: {WaitingPage.Host}\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.Latin1);
        return await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(20));
    }
}
