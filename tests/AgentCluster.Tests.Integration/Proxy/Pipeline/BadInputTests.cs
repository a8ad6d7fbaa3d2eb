namespace AgentCluster.Tests.Integration.Proxy.Pipeline;

/// <summary>
/// Requests no sandbox should get through, written byte for byte to the real proxy. Each case
/// asserts its status and that the upstream received nothing. Targets beyond loopback are only
/// ever named, never reached: the session's allowlist refuses them before the address guard would.
/// {UP} is the upstream's port, {AUTH} the session's Proxy-Authorization, {PROXY} the proxy's port.
/// </summary>
public sealed class BadInputTests(EgressNodeFixture node) : IClassFixture<EgressNodeFixture>
{
    [Theory]
    // IP literals in other spellings: the allowlist names 127.0.0.1 and localhost; these are 127.0.0.1 or others.
    [InlineData("decimal", "GET http://2130706433:{UP}/ HTTP/1.1\r\nHost: 2130706433:{UP}\r\n{AUTH}\r\n", 400)]
    [InlineData("octal", "GET http://0177.0.0.2:{UP}/ HTTP/1.1\r\nHost: 127.0.0.2:{UP}\r\n{AUTH}\r\n", 403)]
    [InlineData("hex", "GET http://0x7f.2:{UP}/ HTTP/1.1\r\nHost: 127.0.0.2:{UP}\r\n{AUTH}\r\n", 403)]
    [InlineData("short", "GET http://127.2:{UP}/ HTTP/1.1\r\nHost: 127.0.0.2:{UP}\r\n{AUTH}\r\n", 403)]
    [InlineData("hex-whole", "GET http://0x7f000002:{UP}/ HTTP/1.1\r\nHost: 127.0.0.2:{UP}\r\n{AUTH}\r\n", 403)]
    [InlineData("octal-whole", "GET http://017700000002:{UP}/ HTTP/1.1\r\nHost: 127.0.0.2:{UP}\r\n{AUTH}\r\n", 403)]
    [InlineData("spelling-in-host-header", "GET http://0x7f.1:{UP}/ HTTP/1.1\r\nHost: 0x7f.1:{UP}\r\n{AUTH}\r\n", 400)]
    [InlineData("out-of-range-octet", "GET http://256.0.0.1:{UP}/ HTTP/1.1\r\nHost: 256.0.0.1:{UP}\r\n{AUTH}\r\n", 400)]
    [InlineData("bad-octal", "GET http://08.0.0.1:{UP}/ HTTP/1.1\r\nHost: 08.0.0.1:{UP}\r\n{AUTH}\r\n", 400)]
    [InlineData("five-parts", "GET http://1.2.3.4.5:{UP}/ HTTP/1.1\r\nHost: 1.2.3.4.5:{UP}\r\n{AUTH}\r\n", 400)]
    // IPv6 forms.
    [InlineData("v6-loopback", "GET http://[::1]:{UP}/ HTTP/1.1\r\nHost: [::1]:{UP}\r\n{AUTH}\r\n", 403)]
    [InlineData("v4-mapped", "GET http://[::ffff:127.0.0.1]:{UP}/ HTTP/1.1\r\nHost: [::ffff:127.0.0.1]:{UP}\r\n{AUTH}\r\n", 403)]
    [InlineData("v4-mapped-hex", "GET http://[::ffff:7f00:1]:{UP}/ HTTP/1.1\r\nHost: [::ffff:127.0.0.1]:{UP}\r\n{AUTH}\r\n", 403)]
    [InlineData("nat64", "GET http://[64:ff9b::7f00:1]:{UP}/ HTTP/1.1\r\nHost: [64:ff9b::7f00:1]:{UP}\r\n{AUTH}\r\n", 403)]
    [InlineData("6to4", "GET http://[2002:7f00:1::1]:{UP}/ HTTP/1.1\r\nHost: [2002:7f00:1::1]:{UP}\r\n{AUTH}\r\n", 403)]
    [InlineData("zone-id", "GET http://[fe80::1%25lo]:{UP}/ HTTP/1.1\r\nHost: [fe80::1%25lo]:{UP}\r\n{AUTH}\r\n", 400)]
    [InlineData("unbracketed-v6", "GET http://::1:{UP}/ HTTP/1.1\r\nHost: ::1:{UP}\r\n{AUTH}\r\n", 400)]
    [InlineData("unclosed-bracket", "GET http://[::1:{UP}/ HTTP/1.1\r\nHost: [::1:{UP}\r\n{AUTH}\r\n", 400)]
    // Private and metadata targets (named only; refused before any connection).
    [InlineData("private-10", "GET http://10.0.0.1:{UP}/ HTTP/1.1\r\nHost: 10.0.0.1:{UP}\r\n{AUTH}\r\n", 403)]
    [InlineData("private-192", "GET http://192.168.0.1/ HTTP/1.1\r\nHost: 192.168.0.1\r\n{AUTH}\r\n", 403)]
    [InlineData("private-172", "GET http://172.16.0.1/ HTTP/1.1\r\nHost: 172.16.0.1\r\n{AUTH}\r\n", 403)]
    [InlineData("metadata", "GET http://169.254.169.254/latest/meta-data/ HTTP/1.1\r\nHost: 169.254.169.254\r\n{AUTH}\r\n", 403)]
    [InlineData("metadata-decimal", "GET http://2852039166/ HTTP/1.1\r\nHost: 169.254.169.254\r\n{AUTH}\r\n", 403)]
    [InlineData("metadata-alibaba", "GET http://100.100.100.200/ HTTP/1.1\r\nHost: 100.100.100.200\r\n{AUTH}\r\n", 403)]
    [InlineData("metadata-v6", "GET http://[fd00:ec2::254]/ HTTP/1.1\r\nHost: [fd00:ec2::254]\r\n{AUTH}\r\n", 403)]
    [InlineData("metadata-name", "GET http://metadata.google.internal/ HTTP/1.1\r\nHost: metadata.google.internal\r\n{AUTH}\r\n", 403)]
    [InlineData("cgnat", "GET http://100.64.0.1/ HTTP/1.1\r\nHost: 100.64.0.1\r\n{AUTH}\r\n", 403)]
    [InlineData("unspecified", "GET http://0.0.0.0:{UP}/ HTTP/1.1\r\nHost: 0.0.0.0:{UP}\r\n{AUTH}\r\n", 403)]
    [InlineData("the-proxy-itself", "GET http://127.0.0.1:{PROXY}/ HTTP/1.1\r\nHost: 127.0.0.1:{PROXY}\r\n{AUTH}\r\n", 403)]
    // Ports out of range or malformed.
    [InlineData("port-0", "GET http://127.0.0.1:0/ HTTP/1.1\r\nHost: 127.0.0.1:0\r\n{AUTH}\r\n", 400)]
    [InlineData("port-65536", "GET http://127.0.0.1:65536/ HTTP/1.1\r\nHost: 127.0.0.1:65536\r\n{AUTH}\r\n", 400)]
    [InlineData("port-99999", "GET http://127.0.0.1:99999/ HTTP/1.1\r\nHost: 127.0.0.1:99999\r\n{AUTH}\r\n", 400)]
    [InlineData("port-negative", "GET http://127.0.0.1:-1/ HTTP/1.1\r\nHost: 127.0.0.1:-1\r\n{AUTH}\r\n", 400)]
    [InlineData("port-letters", "GET http://127.0.0.1:8o/ HTTP/1.1\r\nHost: 127.0.0.1:8o\r\n{AUTH}\r\n", 400)]
    [InlineData("two-ports", "GET http://127.0.0.1:{UP}:80/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}:80\r\n{AUTH}\r\n", 400)]
    [InlineData("other-port", "GET http://127.0.0.1:1/ HTTP/1.1\r\nHost: 127.0.0.1:1\r\n{AUTH}\r\n", 403)]
    // Request shape.
    [InlineData("userinfo", "GET http://user:pw@127.0.0.1:{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\n{AUTH}\r\n", 400)]
    [InlineData("https-absolute", "GET https://127.0.0.1:{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\n{AUTH}\r\n", 400)]
    [InlineData("origin-form", "GET / HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\n{AUTH}\r\n", 400)]
    [InlineData("host-mismatch", "GET http://127.0.0.1:{UP}/ HTTP/1.1\r\nHost: example.com\r\n{AUTH}\r\n", 400)]
    [InlineData("no-host", "GET http://127.0.0.1:{UP}/ HTTP/1.1\r\n{AUTH}\r\n", 400)]
    [InlineData("two-hosts", "GET http://127.0.0.1:{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\nHost: 127.0.0.1:{UP}\r\n{AUTH}\r\n", 400)]
    [InlineData("space-in-host", "GET http://127.0.0.1 :{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\n{AUTH}\r\n", 400)]
    [InlineData("long-host", "GET http://{LONG}.example.com/ HTTP/1.1\r\nHost: {LONG}.example.com\r\n{AUTH}\r\n", 400)]
    [InlineData("duplicate-authorization", "GET http://127.0.0.1:{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\nAuthorization: Bearer a\r\nAuthorization: Bearer b\r\n{AUTH}\r\n", 400)]
    [InlineData("cl-and-te", "POST http://127.0.0.1:{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n{AUTH}\r\n0\r\n\r\n", 400)]
    [InlineData("two-content-lengths", "POST http://127.0.0.1:{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\nContent-Length: 4\r\nContent-Length: 5\r\n{AUTH}\r\nabcde", 400)]
    [InlineData("te-not-chunked", "POST http://127.0.0.1:{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\nTransfer-Encoding: gzip\r\n{AUTH}\r\nabcd", 400)]
    [InlineData("bad-chunk", "POST http://127.0.0.1:{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\nTransfer-Encoding: chunked\r\n{AUTH}\r\nzz\r\nabcd\r\n0\r\n\r\n", 400)]
    [InlineData("cr-in-value", "GET http://127.0.0.1:{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\nX-A: a\rInjected: 1\r\n{AUTH}\r\n", 400)]
    [InlineData("lf-in-value", "GET http://127.0.0.1:{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\nX-A: a\nInjected: 1\r\n{AUTH}\r\n", 400)]
    [InlineData("obs-fold", "GET http://127.0.0.1:{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\nX-A: a\r\n folded\r\n{AUTH}\r\n", 400)]
    [InlineData("nul-in-value", "GET http://127.0.0.1:{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\nX-A: a\0b\r\n{AUTH}\r\n", 400)]
    [InlineData("space-before-colon", "GET http://127.0.0.1:{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\nX-A : a\r\n{AUTH}\r\n", 400)]
    [InlineData("oversized-header", "GET http://127.0.0.1:{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\nX-Big: {BIG}\r\n{AUTH}\r\n", 431)]
    [InlineData("body-over-limit", "POST http://127.0.0.1:{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\nContent-Length: 99999999\r\n{AUTH}\r\nabc", 413)]
    [InlineData("short-body", "POST http://127.0.0.1:{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\nContent-Length: 10\r\nConnection: close\r\n{AUTH}\r\nabc", 408)]
    [InlineData("http-0.9", "GET http://127.0.0.1:{UP}/\r\n\r\n", 400)]
    [InlineData("bad-version", "GET http://127.0.0.1:{UP}/ HTTP/7.1\r\nHost: 127.0.0.1:{UP}\r\n{AUTH}\r\n", 505)]
    // Credentials.
    [InlineData("no-credential", "GET http://127.0.0.1:{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\n\r\n", 407)]
    [InlineData("not-basic", "GET http://127.0.0.1:{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\nProxy-Authorization: Bearer x\r\n\r\n", 407)]
    [InlineData("bad-base64", "GET http://127.0.0.1:{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\nProxy-Authorization: Basic !!!\r\n\r\n", 407)]
    [InlineData("no-colon", "GET http://127.0.0.1:{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\nProxy-Authorization: Basic c2VzX3g=\r\n\r\n", 407)]
    [InlineData("two-credentials", "GET http://127.0.0.1:{UP}/ HTTP/1.1\r\nHost: 127.0.0.1:{UP}\r\n{AUTH}{AUTH}\r\n", 407)]
    public async Task Nothing_reaches_the_upstream(string name, string template, int status)
    {
        var session = await node.Shared;
        var request = template
            .Replace("{AUTH}", $"Proxy-Authorization: {session.ProxyAuthorization}\r\n", StringComparison.Ordinal)
            .Replace("{UP}", node.Upstream.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{PROXY}", node.ProxyPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{LONG}", new string('a', 250), StringComparison.Ordinal)
            .Replace("{BIG}", new string('b', 40 * 1024), StringComparison.Ordinal);
        var before = (node.Upstream.Connections, node.Upstream.Requests.Count);

        var response = await node.Send(request);

        Assert.True(status == response.Status, $"{name}: expected {status}, got {response.Text}");
        Assert.Equal(before, (node.Upstream.Connections, node.Upstream.Requests.Count));
        Assert.False(node.Proxy.HasExited, $"{name}: the proxy died");
    }

    [Fact]
    public async Task A_client_too_slow_with_its_headers_is_cut_off_before_anything_is_forwarded()
    {
        var session = await node.Shared;
        var before = (node.Upstream.Connections, node.Upstream.Requests.Count);
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync("127.0.0.1", node.ProxyPort);
        var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(
            $"GET http://127.0.0.1:{node.Upstream.Port}/ HTTP/1.1\r\nHost: 127.0.0.1:{node.Upstream.Port}\r\nProxy-Authorization: {session.ProxyAuthorization}\r\n"));

        // The fixture's proxy allows 2 s for the headers; the rest never comes.
        var answer = await Infrastructure.RawHttp.ReadToCloseAsync(stream, TimeSpan.FromSeconds(30));

        Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), answer);
        Assert.Equal(before, (node.Upstream.Connections, node.Upstream.Requests.Count));
    }
}
