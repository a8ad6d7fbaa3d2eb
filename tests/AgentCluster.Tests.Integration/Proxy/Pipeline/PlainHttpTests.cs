using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Proxy.Pipeline;

/// <summary>The plain-HTTP path end to end: sandbox credential, real proxy process, real upstream on loopback.</summary>
public sealed class PlainHttpTests(EgressNodeFixture node) : IClassFixture<EgressNodeFixture>
{
    private const string ProxyHeader = "X-AgentCluster-Egress";

    private string Upstream => $"127.0.0.1:{node.Upstream.Port}";

    [Fact]
    public async Task An_allowlisted_request_is_forwarded_as_sent_without_the_proxy_credential_and_audited()
    {
        var session = await node.NewSession(Upstream);
        var before = node.Upstream.Requests.Count;

        var response = await node.Get(session, "/hello/world?q=1&x=%20y", extraHeaders: "X-Trace: abc\r\n");

        Assert.Equal(200, response.Status);
        var received = Assert.Single(node.Upstream.Requests.Skip(before));
        Assert.Equal("GET /hello/world?q=1&x=%20y HTTP/1.1", received.RequestLine);
        Assert.Equal(Upstream, Assert.Single(received.Header("Host")));
        Assert.Equal("abc", Assert.Single(received.Header("X-Trace")));
        Assert.Empty(received.Header("Proxy-Authorization"));
        Assert.Empty(received.Header("Proxy-Connection"));
        Assert.DoesNotContain(session.Secret, received.Head, StringComparison.Ordinal);

        await Eventually.True(async () => (await Rows()).Any(r => r.Kind == "egress.forwarded"
            && r.Detail.Contains("\"path\":\"/hello/world\"", StringComparison.Ordinal)), "the forward's audit row");
        var row = (await Rows()).Last(r => r.Kind == "egress.forwarded");
        Assert.Contains("\"status\":\"200\"", row.Detail, StringComparison.Ordinal);
        Assert.Contains("\"decision\":\"forwarded\"", row.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("q=1", row.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_in_a_path_reaches_the_audit_only_as_its_hash_prefix()
    {
        var session = await node.NewSession(Upstream);
        // Shaped like a stub (agc_ and 43 base64url characters), so the proxy refuses it as well as auditing it.
        var token = "agc_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var masked = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(token)))[..12];

        var response = await node.Get(session, $"/files/{token}/raw");

        Assert.Equal(403, response.Status);
        await Eventually.True(async () => (await Rows()).Any(r => r.Kind == "egress.denied"
            && r.Detail.Contains($"\"path\":\"/files/{masked}/raw\"", StringComparison.Ordinal)), "the refusal's row, the token masked");
        Assert.DoesNotContain(await Rows(), r => r.Detail.Contains(token, StringComparison.Ordinal) || r.Reason.Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Request_bodies_arrive_intact_whether_sized_or_chunked()
    {
        var session = await node.Shared;
        var before = node.Upstream.Requests.Count;
        var head = $"POST http://{Upstream}/upload HTTP/1.1\r\nHost: {Upstream}\r\nProxy-Authorization: {session.ProxyAuthorization}\r\n";

        Assert.Equal(200, (await node.Send(head + "Content-Length: 11\r\nConnection: close\r\n\r\nhello world")).Status);
        Assert.Equal(200, (await node.Send(head + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")).Status);

        Assert.All(node.Upstream.Requests.Skip(before), r => Assert.Equal("hello world", r.Body));
        Assert.Equal(2, node.Upstream.Requests.Count - before);
    }

    [Fact]
    public async Task A_host_or_port_off_the_allowlist_gets_an_opaque_403_and_the_reason_goes_to_the_audit()
    {
        var byHost = await node.NewSession("example.com");
        var byPort = await node.NewSession($"127.0.0.1:{node.Upstream.Port + 1}");
        var before = node.Upstream.Requests.Count;

        foreach (var session in new[] { byHost, byPort })
        {
            var response = await node.Get(session);
            Assert.Equal(403, response.Status);
            Assert.Equal("denied\n", response.Body);
            Assert.Equal("denied", Assert.Single(response.Header(ProxyHeader)));
        }

        Assert.Equal(before, node.Upstream.Requests.Count);
        await Eventually.True(async () => (await Rows()).Count(r => r.Kind == "egress.denied" && r.Reason == "not-allowlisted") >= 2,
            "two not-allowlisted audit rows");
    }

    [Fact]
    public async Task No_bad_or_dead_credentials_get_407_and_nothing_is_forwarded()
    {
        var session = await node.NewSession(Upstream);
        var killed = await node.NewSession(Upstream);
        Assert.Equal(200, (await node.Get(killed)).Status);
        await node.Admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = killed.Id });
        var before = node.Upstream.Requests.Count;

        var target = $"http://{Upstream}/";
        var attempts = new[]
        {
            "",
            $"Proxy-Authorization: Basic {RawHttp.Basic(session.Id, session.Secret + "x")}\r\n",
            $"Proxy-Authorization: Basic {RawHttp.Basic(killed.Id, session.Secret)}\r\n",
            $"Proxy-Authorization: Bearer {session.Secret}\r\n",
            $"Proxy-Authorization: {session.ProxyAuthorization}\r\nProxy-Authorization: {session.ProxyAuthorization}\r\n",
            $"Proxy-Authorization: {killed.ProxyAuthorization}\r\n",
        };
        foreach (var header in attempts)
        {
            var response = await node.Send($"GET {target} HTTP/1.1\r\nHost: {Upstream}\r\n{header}Connection: close\r\n\r\n");
            Assert.Equal(407, response.Status);
            Assert.StartsWith("Basic ", Assert.Single(response.Header("Proxy-Authenticate")), StringComparison.Ordinal);
        }
        Assert.Equal(before, node.Upstream.Requests.Count);
    }

    [Fact]
    public async Task A_kill_reaches_every_proxy_that_has_the_session_cached_before_it_is_acknowledged()
    {
        var session = await node.NewSession(Upstream);
        // A cache that outlives the test: only the kill's notice can make the second proxy refuse.
        await using var second = await ProxyProcess.StartAsync(node.Silo.GatewayPort,
            [.. EgressNodeFixture.LoopbackClients, "--AgentCluster:Egress:AllowedRanges:0=127.0.0.0/8", "--AgentCluster:Egress:AnswerCacheTtl=00:10:00"]);
        await Eventually.True(() => Task.FromResult(second.Output.Contains("joined the cluster's egress registry")), "the second proxy holds a lease");
        var request = $"GET http://{Upstream}/hello HTTP/1.1\r\nHost: {Upstream}\r\nProxy-Authorization: {session.ProxyAuthorization}\r\nConnection: close\r\n\r\n";
        Assert.Equal(200, (await node.Send(request)).Status);
        Assert.Equal(200, (await RawHttp.SendAsync(second.Port, request)).Status);
        Assert.Equal(200, (await RawHttp.SendAsync(second.Port, request)).Status);
        var before = node.Upstream.Requests.Count;

        await node.Admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = session.Id });

        Assert.Equal(407, (await RawHttp.SendAsync(second.Port, request)).Status);
        Assert.Equal(407, (await node.Send(request)).Status);
        Assert.Equal(before, node.Upstream.Requests.Count);
    }

    [Fact]
    public async Task By_default_a_credential_works_only_from_its_containers_address()
    {
        var session = await node.Shared;
        await using var strict = await ProxyProcess.StartAsync(node.Silo.GatewayPort, ["--AgentCluster:Egress:AllowedRanges:0=127.0.0.0/8"]);
        var before = node.Upstream.Requests.Count;

        var response = await RawHttp.SendAsync(strict.Port, $"GET http://{Upstream}/ HTTP/1.1\r\nHost: {Upstream}\r\n"
            + $"Proxy-Authorization: {session.ProxyAuthorization}\r\nConnection: close\r\n\r\n");

        Assert.Equal(407, response.Status);
        Assert.Equal(200, (await node.Get(session)).Status);
        Assert.Equal(before + 1, node.Upstream.Requests.Count);
    }

    [Fact]
    public async Task The_orchestrator_changes_the_allowlist_at_run_time()
    {
        var session = await node.NewSession();
        Assert.Equal(403, (await node.Get(session)).Status);

        var allowed = await node.Admin.Sessions.ChangeAllowHostsAsync(new ChangeAllowHostsRequest
        {
            Id = session.Id, Allow = { $"0x7f.1:{node.Upstream.Port}" },
        });
        Assert.Equal([Upstream], allowed.AllowHosts);
        Assert.Equal(200, (await node.Get(session)).Status);

        await node.Admin.Sessions.ChangeAllowHostsAsync(new ChangeAllowHostsRequest { Id = session.Id, Deny = { "127.0.0.1" } });
        Assert.Equal(403, (await node.Get(session)).Status);
        await Eventually.True(async () => (await Rows()).Count(r => r.Kind == "session.allowlist_changed") >= 2, "two allowlist changes audited");
    }

    [Fact]
    public async Task The_default_configuration_denies_a_loopback_upstream()
    {
        var session = await node.NewSession($"localhost:{node.Upstream.Port}", $"127.0.0.1:{node.Upstream.Port}");
        await using var strict = await ProxyProcess.StartAsync(node.Silo.GatewayPort, EgressNodeFixture.LoopbackClients);
        var before = node.Upstream.Requests.Count;

        // Kestrel holds the Host header to the target's address (it reads 2130706433 as 127.0.0.1 too).
        foreach (var (host, hostHeader) in new[] { ("localhost", "localhost"), ("127.0.0.1", "127.0.0.1"), ("2130706433", "127.0.0.1"),
            ("0x7f.1", "127.0.0.1"), ("127.1", "127.0.0.1") })
        {
            var response = await RawHttp.SendAsync(strict.Port, $"GET http://{host}:{node.Upstream.Port}/ HTTP/1.1\r\n"
                + $"Host: {hostHeader}:{node.Upstream.Port}\r\nProxy-Authorization: {session.ProxyAuthorization}\r\nConnection: close\r\n\r\n");
            Assert.True(403 == response.Status, $"{host}: {response.Text}");
        }

        Assert.Equal(before, node.Upstream.Requests.Count);
        await Eventually.True(async () => (await Rows()).Count(r => r.Reason == "address-loopback") >= 5, "five address-loopback audit rows");
    }

    [Fact]
    public async Task Headers_posing_as_the_proxy_are_dropped_and_redirects_are_not_followed()
    {
        var session = await node.NewSession(Upstream);
        node.Upstream.Respond = r => ([(ProxyHeader, "denied"), ("Location", "http://169.254.169.254/latest/meta-data/")], "upstream");
        try
        {
            var before = node.Upstream.Requests.Count;
            var response = await node.Get(session);
            Assert.Equal(200, response.Status);
            Assert.Empty(response.Header(ProxyHeader));
            Assert.Equal("http://169.254.169.254/latest/meta-data/", Assert.Single(response.Header("Location")));
            Assert.Single(node.Upstream.Requests.Skip(before));
        }
        finally
        {
            node.Upstream.Respond = LoopbackUpstream.Echo;
        }
    }

    private Task<List<(string Kind, string Outcome, string Reason, string Detail)>> Rows() => BrokerAudit.Rows(node.DataDir, node.Tenant);
}
