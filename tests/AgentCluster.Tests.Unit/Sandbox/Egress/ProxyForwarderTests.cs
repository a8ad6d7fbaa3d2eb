using System.Net;
using System.Net.Sockets;
using System.Text;
using AgentCluster.ComputerProtocol;
using AgentCluster.ComputerServer.Egress;
using AgentCluster.ComputerServer.Serving;

namespace AgentCluster.Tests.Unit.SandboxServer.Egress;

/// <summary>The forwarder on loopback, in front of a stand-in for the egress proxy that records what reaches it.</summary>
public sealed class ProxyForwarderTests : IAsyncLifetime
{
    private readonly ProxyConfiguration _configuration = new();
    private readonly TcpListener _egress = new(IPAddress.Loopback, 0);
    private ProxyForwarder _forwarder = null!;

    public Task InitializeAsync()
    {
        _egress.Start();
        _forwarder = new ProxyForwarder(_configuration, 0, TimeSpan.FromMilliseconds(300));
        _forwarder.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _forwarder.DisposeAsync();
        _egress.Stop();
    }

    private void Configure() => _configuration.Set(new ProxySettings(
        $"http://127.0.0.1:{((IPEndPoint)_egress.LocalEndpoint).Port}", "ses_abc:s3cret", null));

    private async Task<NetworkStream> Open()
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _forwarder.LocalPort);
        return client.GetStream();
    }

    private static async Task<string> ReadToClose(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.Latin1);
        return await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Without_a_configure_in_time_it_refuses_and_nothing_reaches_the_proxy()
    {
        await using var stream = await Open();
        await stream.WriteAsync("CONNECT shop.test:443 HTTP/1.1\r\nHost: shop.test:443\r\n\r\n"u8.ToArray());

        Assert.StartsWith("HTTP/1.1 503 ", await ReadToClose(stream), StringComparison.Ordinal);
        Assert.False(_egress.Pending(), "a connection reached the egress proxy");
    }

    [Theory]
    [InlineData("POST http://updates.chromium.invalid/service/update2/json HTTP/1.1\r\nHost: updates.chromium.invalid\r\nContent-Length: 2\r\n\r\n{}")]
    [InlineData("CONNECT accounts.chromium.invalid:443 HTTP/1.1\r\nHost: accounts.chromium.invalid:443\r\n\r\n")]
    [InlineData("GET http://ACCOUNTS.Chromium.Invalid./ListAccounts HTTP/1.1\r\nHost: accounts.chromium.invalid\r\n\r\n")]
    public async Task The_browsers_own_services_are_refused_here_at_once_even_before_configure_and_never_reach_the_proxy(string request)
    {
        await using var stream = await Open();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));

        // 502 from the forwarder itself: waiting for a configure that never comes would answer 503.
        Assert.StartsWith("HTTP/1.1 502 ", await ReadToClose(stream), StringComparison.Ordinal);
        Configure();
        await Task.Delay(200);
        Assert.False(_egress.Pending(), "a browser service's request reached the egress proxy");
    }

    [Theory]
    [InlineData("GET http://accounts.chromium.invalid@shop.test/ HTTP/1.1\r\nHost: shop.test\r\n\r\n")]
    [InlineData("GET http://xchromium.invalid/ HTTP/1.1\r\nHost: xchromium.invalid\r\n\r\n")]
    [InlineData("CONNECT chromium.invalid.shop.test:443 HTTP/1.1\r\nHost: chromium.invalid.shop.test:443\r\n\r\n")]
    public async Task A_name_that_only_looks_like_the_browsers_services_is_the_sessions_traffic_and_waits_for_its_proxy(string request)
    {
        await using var stream = await Open();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));

        Assert.StartsWith("HTTP/1.1 503 ", await ReadToClose(stream), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_sent_before_configure_waits_for_it_and_then_goes_with_the_credential()
    {
        await using var stream = await Open();
        await stream.WriteAsync("CONNECT shop.test:443 HTTP/1.1\r\nHost: shop.test:443\r\n\r\n"u8.ToArray());
        await Task.Delay(100);
        Assert.False(_egress.Pending(), "a connection reached the egress proxy before configure");
        Configure();

        using var egress = await _egress.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(20));
        var (head, _) = await HeadReader.ReadAsync(egress.GetStream(), 4096, CancellationToken.None);
        Assert.Contains("Proxy-Authorization: Basic " + Convert.ToBase64String("ses_abc:s3cret"u8.ToArray()), Encoding.Latin1.GetString(head!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pages_own_request_to_the_loopback_port_is_refused_even_when_configured()
    {
        Configure();
        await using var stream = await Open();
        await stream.WriteAsync("GET / HTTP/1.1\r\nHost: 127.0.0.1:3128\r\n\r\n"u8.ToArray());

        var answer = await ReadToClose(stream);
        Assert.StartsWith("HTTP/1.1 400 ", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", answer, StringComparison.Ordinal);
        Assert.False(_egress.Pending(), "a connection reached the egress proxy");
    }

    [Fact]
    public async Task A_connect_reaches_the_proxy_with_the_credential_and_then_carries_bytes_both_ways()
    {
        Configure();
        await using var stream = await Open();
        await stream.WriteAsync("CONNECT shop.test:443 HTTP/1.1\r\nHost: shop.test:443\r\nProxy-Authorization: Basic bWU6Z3Vlc3M=\r\n\r\nhello"u8.ToArray());

        using var egress = await _egress.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(20));
        var upstream = egress.GetStream();
        var (head, after) = await HeadReader.ReadAsync(upstream, 4096, CancellationToken.None);
        var text = Encoding.Latin1.GetString(head!);
        Assert.Equal("CONNECT shop.test:443 HTTP/1.1\r\nHost: shop.test:443\r\nProxy-Authorization: Basic "
            + Convert.ToBase64String("ses_abc:s3cret"u8.ToArray()) + "\r\n\r\n", text);
        var early = Encoding.Latin1.GetString(after) + await ReadExactly(upstream, 5 - after.Length);
        Assert.Equal("hello", early);

        await upstream.WriteAsync("HTTP/1.1 200 Connection established\r\n\r\nworld"u8.ToArray());
        egress.Client.Shutdown(SocketShutdown.Send);
        Assert.Equal("HTTP/1.1 200 Connection established\r\n\r\nworld", await ReadToClose(stream));
    }

    [Theory]
    [InlineData("CONNECT shop.test:443 HTTP/1.1\r\nHost: shop.test:443\r\n\r\n")]
    [InlineData("GET http://shop.test/ HTTP/1.1\r\nHost: shop.test\r\n\r\n")]
    public async Task A_407_from_the_proxy_never_reaches_the_browser_so_it_cannot_prompt_for_a_password(string request)
    {
        Configure();
        await using var stream = await Open();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var egress = await _egress.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(20));
        await HeadReader.ReadAsync(egress.GetStream(), 4096, CancellationToken.None);
        await egress.GetStream().WriteAsync("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"agentcluster\"\r\nContent-Length: 0\r\n\r\n"u8.ToArray());
        egress.Client.Shutdown(SocketShutdown.Send);

        var answer = await ReadToClose(stream);

        Assert.StartsWith("HTTP/1.1 502 ", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("Proxy-Authenticate", answer, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("407", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Any_other_answer_of_the_proxy_reaches_the_browser_byte_for_byte_even_one_shorter_than_a_status_line()
    {
        Configure();
        foreach (var reply in new[] { "HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\nno", "HTTP/1.1 4", "" })
        {
            await using var stream = await Open();
            await stream.WriteAsync("GET http://shop.test/ HTTP/1.1\r\nHost: shop.test\r\n\r\n"u8.ToArray());
            using var egress = await _egress.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(20));
            await HeadReader.ReadAsync(egress.GetStream(), 4096, CancellationToken.None);
            await egress.GetStream().WriteAsync(Encoding.ASCII.GetBytes(reply));
            egress.Client.Shutdown(SocketShutdown.Send);

            Assert.Equal(reply, await ReadToClose(stream));
        }
    }

    [Fact]
    public async Task A_proxy_that_never_completes_the_connect_is_a_502_within_the_connect_timeout_not_a_page_left_loading()
    {
        // A listener whose accept queue is full drops further SYNs, as a dropping firewall does.
        using var full = new Socket(SocketType.Stream, ProtocolType.Tcp);
        full.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        full.Listen(0);
        var queued = new List<Socket>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var s = new Socket(SocketType.Stream, ProtocolType.Tcp);
                queued.Add(s);
                _ = s.ConnectAsync(full.LocalEndPoint!);
            }
            await Task.Delay(200);
            _configuration.Set(new ProxySettings($"http://127.0.0.1:{((IPEndPoint)full.LocalEndPoint!).Port}", "ses_abc:s3cret", null));
            await using var forwarder = new ProxyForwarder(_configuration, 0, TimeSpan.FromMilliseconds(300), connectTimeout: TimeSpan.FromMilliseconds(500));
            forwarder.Start();
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, forwarder.LocalPort);
            await client.GetStream().WriteAsync("GET http://shop.test/ HTTP/1.1\r\nHost: shop.test\r\n\r\n"u8.ToArray());

            Assert.StartsWith("HTTP/1.1 502 ", await ReadToClose(client.GetStream()), StringComparison.Ordinal);
        }
        finally
        {
            queued.ForEach(s => s.Dispose());
        }
    }

    private static async Task<string> ReadExactly(Stream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        return Encoding.Latin1.GetString(buffer);
    }
}
