using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Proxy.Credentials;

/// <summary>
/// What a stub may be swapped into, at the wire: the grant's action bounds the request's method,
/// the method an override header names counts, a remembered read never serves a write, and a real
/// secret leaves in clear only when its secret opts in.
/// <c>/upload</c> on the upstream is Reversible by the admin's HTTP rule, so the approval gate
/// lets every method through there and only the grant's bounds stand between a stub and a write.
/// </summary>
public sealed class GrantBoundsTests(EgressNodeFixture node) : IClassFixture<EgressNodeFixture>
{
    private string Upstream => $"127.0.0.1:{node.Upstream.Port}";

    [Fact]
    public async Task A_read_stub_is_never_swapped_into_a_write_or_a_delete()
    {
        var session = await node.Shared;
        var stub = await node.Grant(session.Id);
        var before = (node.Upstream.Connections, node.Upstream.Requests.Count);

        foreach (var method in new[] { "POST", "PUT", "PATCH", "DELETE" })
        {
            var response = await node.Send(session, method, "/upload", $"Authorization: Bearer {stub}\r\n", "amount=1");
            Assert.True(response.Status == 403, $"{method}: {response.Text}");
            Assert.Equal("credential_unavailable\n", response.Body);
        }

        Assert.Equal(before, (node.Upstream.Connections, node.Upstream.Requests.Count));
        await node.AuditRow(r => r.Kind == "egress.denied" && r.Reason == "action-mismatch", "the refusal's real reason");
    }

    [Theory]
    [InlineData("X-HTTP-Method-Override")]
    [InlineData("X-HTTP-Method")]
    [InlineData("X-Method-Override")]
    public async Task A_method_override_counts_as_the_method_it_names(string header)
    {
        var session = await node.Shared;
        var stub = await node.Grant(session.Id);
        var before = (node.Upstream.Connections, node.Upstream.Requests.Count);

        var response = await node.Send(session, "GET", "/upload", $"Authorization: Bearer {stub}\r\n{header}: DELETE\r\n");

        Assert.Equal(403, response.Status);
        Assert.Equal("credential_unavailable\n", response.Body);
        Assert.Equal(before, (node.Upstream.Connections, node.Upstream.Requests.Count));
    }

    [Fact]
    public async Task A_read_the_proxy_remembers_never_serves_a_write()
    {
        var session = await node.Shared;
        var stub = await node.Grant(session.Id);
        Assert.Equal(200, (await node.Send(session, "GET", "/upload", $"Authorization: Bearer {stub}\r\n")).Status);
        Assert.Equal(200, (await node.Send(session, "OPTIONS", "/upload", $"Authorization: Bearer {stub}\r\n")).Status);
        var before = node.Upstream.Requests.Count;

        var response = await node.Send(session, "POST", "/upload", $"Authorization: Bearer {stub}\r\n", "amount=1");

        Assert.Equal(403, response.Status);
        Assert.Equal(before, node.Upstream.Requests.Count);
    }

    [Fact]
    public async Task A_write_grant_swaps_into_a_post_but_not_into_a_delete()
    {
        var session = await node.NewSession(["echo-rw:write"], Upstream);
        var stub = await node.Grant(session.Id, "echo-rw", "write");
        var before = node.Upstream.Requests.Count;

        var post = await node.Send(session, "POST", "/upload", $"Authorization: Bearer {stub}\r\n", "amount=1");
        var delete = await node.Send(session, "DELETE", "/upload/1", $"Authorization: Bearer {stub}\r\n");

        Assert.Equal(200, post.Status);
        Assert.Equal(403, delete.Status);
        Assert.Equal("credential_unavailable\n", delete.Body);
        var received = Assert.Single(node.Upstream.Requests.Skip(before));
        Assert.Equal("POST /upload HTTP/1.1", received.RequestLine);
        Assert.Equal($"Bearer {EgressNodeFixture.WriteSecret}", Assert.Single(received.Header("Authorization")));
    }

    [Fact]
    public async Task A_stub_is_swapped_only_into_a_request_that_leaves_over_tls()
    {
        const string value = "sk_live_tls_only_9Zt3TopSecretValue";
        await node.Admin.Secrets.PutSecretAsync(new Api.V1.PutSecretRequest
        {
            Tenant = node.Tenant, Resource = "tls-only", Hosts = { "127.0.0.1" }, Actions = { "read" },
            Header = "Authorization", Format = "Bearer {secret}", Value = value,
        });
        var session = await node.NewSession(["tls-only:read"], Upstream, $"127.0.0.1:{node.SecureUpstream.Port}");
        var stub = await node.Grant(session.Id, "tls-only");
        var before = (node.Upstream.Connections, node.Upstream.Requests.Count);

        var plain = await node.Send(session, "GET", "/charges", $"Authorization: Bearer {stub}\r\n");

        Assert.Equal(403, plain.Status);
        Assert.Equal("credential_unavailable\n", plain.Body);
        Assert.Equal(before, (node.Upstream.Connections, node.Upstream.Requests.Count));
        await node.AuditRow(r => r.Kind == "egress.denied" && r.Reason == "plain-http", "the refusal's real reason");

        var secureBefore = node.SecureUpstream.Requests.Count;
        var secure = await node.SendIntercepted(session,
            $"GET /charges HTTP/1.1\r\nHost: 127.0.0.1:{node.SecureUpstream.Port}\r\nAuthorization: Bearer {stub}\r\nConnection: close\r\n\r\n");
        Assert.Equal(200, secure.Status);
        Assert.Equal($"Bearer {value}", Assert.Single(Assert.Single(node.SecureUpstream.Requests.Skip(secureBefore)).Header("Authorization")));
    }

    [Fact]
    public async Task A_secret_that_opts_in_goes_over_plain_http_and_its_row_says_so()
    {
        var session = await node.Shared;
        var stub = await node.Grant(session.Id);
        var before = node.Upstream.Requests.Count;

        Assert.Equal(200, (await node.Send(session, "GET", "/opted-in", $"Authorization: Bearer {stub}\r\n")).Status);

        Assert.Equal($"Bearer {EgressNodeFixture.Secret}", Assert.Single(Assert.Single(node.Upstream.Requests.Skip(before)).Header("Authorization")));
        await node.AuditRow(r => r.Kind == "egress.forwarded" && r.Reason.StartsWith("stub-swapped sha256:", StringComparison.Ordinal)
            && r.Reason.EndsWith(" plain-http", StringComparison.Ordinal) && r.Detail.Contains("/opted-in", StringComparison.Ordinal), "the clear swap's row");
    }

    [Fact]
    public async Task A_secret_narrows_its_grants_methods()
    {
        await node.Admin.Secrets.PutSecretAsync(new Api.V1.PutSecretRequest
        {
            Tenant = node.Tenant, Resource = "narrow", Hosts = { "127.0.0.1" }, Actions = { "write" }, Methods = { "GET", "POST" },
            Header = "Authorization", Format = "Bearer {secret}", Value = "sk_live_narrow_5Rw2TopSecretValue", AllowPlainHttp = true,
        });
        var session = await node.NewSession(["narrow:write"], Upstream);
        var stub = await node.Grant(session.Id, "narrow", "write");
        var before = node.Upstream.Requests.Count;

        var post = await node.Send(session, "POST", "/upload", $"Authorization: Bearer {stub}\r\n", "a=1");
        var put = await node.Send(session, "PUT", "/upload", $"Authorization: Bearer {stub}\r\n", "a=1");

        Assert.Equal(200, post.Status);
        Assert.Equal(403, put.Status);
        Assert.Equal("credential_unavailable\n", put.Body);
        Assert.Equal("POST /upload HTTP/1.1", Assert.Single(node.Upstream.Requests.Skip(before)).RequestLine);
    }

    [Fact]
    public async Task A_secret_cannot_be_given_a_method_its_actions_do_not_allow()
    {
        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(async () => await node.Admin.Secrets.PutSecretAsync(new Api.V1.PutSecretRequest
        {
            Tenant = node.Tenant, Resource = "widened", Hosts = { "127.0.0.1" }, Actions = { "read" }, Methods = { "GET", "DELETE" },
            Header = "Authorization", Format = "Bearer {secret}", Value = "sk_live_widened_1Qa9TopSecretValue",
        }));

        Assert.Equal(Grpc.Core.StatusCode.InvalidArgument, refused.StatusCode);
        Assert.DoesNotContain((await node.Admin.Secrets.ListSecretsAsync(new Api.V1.ListSecretsRequest { Tenant = node.Tenant })).Secrets,
            s => s.Resource == "widened");
    }
}
