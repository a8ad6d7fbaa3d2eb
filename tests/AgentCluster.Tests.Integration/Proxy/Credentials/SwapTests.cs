using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Integration.Proxy.Credentials;

/// <summary>
/// The stub-token swap on plain HTTP, checked with an upstream that echoes what it received: the
/// real credential goes out only in place of a resolvable stub, and never comes back.
/// </summary>
public sealed class SwapTests(EgressNodeFixture node) : IClassFixture<EgressNodeFixture>
{
    private const string Secret = EgressNodeFixture.Secret;

    private async Task<string> Grant(string session, TimeSpan? ttl = null) =>
        (await node.Admin.Grants.RequestGrantAsync(new RequestGrantRequest
        {
            Session = session, Resource = "echo", Action = "read", Ttl = ttl is { } t ? Duration.FromTimeSpan(t) : null,
        })).Token;

    [Fact]
    public async Task A_stub_is_swapped_for_the_real_header_and_the_secret_is_stripped_from_what_comes_back()
    {
        var session = await node.Shared;
        var stub = await Grant(session.Id);
        var before = node.Upstream.Requests.Count;
        node.Upstream.Respond = r => ([("X-Echo-Auth", r.Header("Authorization").Single())], r.Head + "\r\n\r\n" + r.Body);
        try
        {
            var response = await node.Get(session, "/charges?limit=1", extraHeaders: $"Authorization: Bearer {stub}\r\nAccept-Encoding: gzip\r\n");

            Assert.Equal(200, response.Status);
            var received = Assert.Single(node.Upstream.Requests.Skip(before));
            Assert.Equal($"Bearer {Secret}", Assert.Single(received.Header("Authorization")));
            Assert.Equal("GET /charges?limit=1 HTTP/1.1", received.RequestLine);
            Assert.DoesNotContain(stub, received.Head, StringComparison.Ordinal);
            // No Accept-Encoding at all would let the upstream pick any coding (RFC 9110): identity, said outright.
            Assert.Equal("identity", Assert.Single(received.Header("Accept-Encoding")));

            Assert.DoesNotContain(Secret, response.Text, StringComparison.Ordinal);
            Assert.Equal($"Bearer {stub}", Assert.Single(response.Header("X-Echo-Auth")));
            Assert.Contains($"Authorization: Bearer {stub}", response.Body, StringComparison.Ordinal);
        }
        finally
        {
            node.Upstream.Respond = LoopbackUpstream.Echo;
        }
        await Eventually.True(async () => (await BrokerAudit.Rows(node.DataDir, node.Tenant)).Any(r =>
            r.Kind == "egress.forwarded" && r.Reason.StartsWith("stub-swapped sha256:", StringComparison.Ordinal)), "the swap's audit row");
        var cells = await BrokerAudit.EveryCell(node.DataDir);
        Assert.DoesNotContain(cells, c => c.Contains(stub, StringComparison.Ordinal) || c.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_stub_a_request_to_a_bound_host_passes_unchanged_and_nothing_is_injected()
    {
        var session = await node.Shared;
        var before = node.Upstream.Requests.Count;

        Assert.Equal(200, (await node.Get(session, extraHeaders: "Authorization: Basic dXNlcjpwdw==\r\n")).Status);
        Assert.Equal(200, (await node.Get(session)).Status);

        var received = node.Upstream.Requests.Skip(before).ToList();
        Assert.Equal("Basic dXNlcjpwdw==", Assert.Single(received[0].Header("Authorization")));
        Assert.Empty(received[1].Header("Authorization"));
        Assert.All(received, r => Assert.DoesNotContain(Secret, r.Head, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stub_that_was_just_swapped_stops_with_the_next_request_once_revoked()
    {
        var session = await node.Shared;
        var grant = await node.Admin.Grants.RequestGrantAsync(new RequestGrantRequest { Session = session.Id, Resource = "echo", Action = "read" });
        var stub = grant.Token;
        // The second one is answered from the proxy's cache.
        Assert.Equal(200, (await node.Get(session, extraHeaders: $"Authorization: Bearer {stub}\r\n")).Status);
        Assert.Equal(200, (await node.Get(session, extraHeaders: $"Authorization: Bearer {stub}\r\n")).Status);

        await node.Admin.Grants.RevokeGrantsAsync(new RevokeGrantsRequest { Session = session.Id, TokenHashPrefix = grant.TokenHashPrefix });
        var before = node.Upstream.Requests.Count;
        var response = await node.Get(session, extraHeaders: $"Authorization: Bearer {stub}\r\n");

        Assert.Equal(403, response.Status);
        Assert.Equal("credential_unavailable\n", response.Body);
        Assert.Equal(before, node.Upstream.Requests.Count);
    }

    [Fact]
    public async Task Unresolvable_stubs_get_403_credential_unavailable_and_nothing_is_forwarded()
    {
        var session = await node.Shared;
        var other = await node.NewSession($"127.0.0.1:{node.Upstream.Port}", $"localhost:{node.Upstream.Port}");
        var othersStub = await Grant(other.Id);
        var expired = await Grant(session.Id, TimeSpan.FromSeconds(1));
        var revoked = await Grant(session.Id);
        await node.Admin.Grants.RevokeGrantsAsync(new RevokeGrantsRequest { Session = session.Id });
        var live = await Grant(session.Id);
        var unknown = "agc_" + new string('A', 43);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var before = (node.Upstream.Connections, node.Upstream.Requests.Count);

        var attempts = new (string Path, string Host, string Headers)[]
        {
            ("/", "127.0.0.1", $"Authorization: Bearer {othersStub}\r\n"),
            ("/", "127.0.0.1", $"Authorization: Bearer {expired}\r\n"),
            ("/", "127.0.0.1", $"Authorization: Bearer {revoked}\r\n"),
            ("/", "127.0.0.1", $"Authorization: Bearer {unknown}\r\n"),
            ("/", "localhost", $"Authorization: Bearer {live}\r\n"),
            ($"/?token={live}", "127.0.0.1", ""),
            ($"/{live}/x", "127.0.0.1", ""),
            ("/", "127.0.0.1", $"X-Api-Key: {live}\r\n"),
            ("/", "127.0.0.1", $"Authorization: Bearer {live}\r\nCookie: t={live}\r\n"),
        };
        foreach (var (path, host, headers) in attempts)
        {
            var response = await node.Get(session, path, host, headers);
            Assert.True(response.Status == 403, $"{path} {headers}: {response.Text}");
            Assert.Equal("credential_unavailable\n", response.Body);
        }
        var body = await node.Send($"POST http://127.0.0.1:{node.Upstream.Port}/ HTTP/1.1\r\nHost: 127.0.0.1:{node.Upstream.Port}\r\n"
            + $"Proxy-Authorization: {session.ProxyAuthorization}\r\nContent-Type: application/json\r\nContent-Length: {live.Length + 12}\r\n"
            + $"Connection: close\r\n\r\n{{\"token\":\"{live}\"}}");
        Assert.Equal(403, body.Status);

        Assert.Equal(before, (node.Upstream.Connections, node.Upstream.Requests.Count));
    }
}
