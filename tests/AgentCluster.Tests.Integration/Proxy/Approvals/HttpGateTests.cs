using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Integration.Proxy.Approvals;

/// <summary>
/// The approval gate at the HTTP level: an irreversible request through the real proxy is held
/// while its approval is pending, then forwarded on approval and refused on denial or expiry.
/// </summary>
public sealed class HttpGateTests(EgressNodeFixture node) : IClassFixture<EgressNodeFixture>
{
    private string Upstream => $"127.0.0.1:{node.Upstream.Port}";

    [Fact]
    public async Task A_held_request_goes_out_once_approved_and_exactly_as_it_was_held()
    {
        using var approver = await Approver(TimeSpan.FromSeconds(60));
        var session = await node.NewSession(Upstream);
        var before = node.Upstream.Requests.Count;

        var sending = node.Send(Post(session, "/v1/orders", "sku=42&qty=1"));
        var held = await Pending(approver, session.Id);
        Assert.Equal(("http.request", "Irreversible"), (held.Action, held.Risk));
        Assert.Contains($"http://{Upstream}/v1/orders", held.RedactedPayload);
        Assert.Contains("bodySha256", held.RedactedPayload);
        Assert.False(sending.IsCompleted, "the request was answered before any decision");
        Assert.Equal(before, node.Upstream.Requests.Count);

        await approver.Approvals.ApproveAsync(new DecideRequest { Id = held.Id, Note = "ok" });
        var response = await sending;
        Assert.Equal(200, response.Status);
        var received = Assert.Single(node.Upstream.Requests.Skip(before));
        Assert.Equal("POST /v1/orders HTTP/1.1", received.RequestLine);
        Assert.Equal("sku=42&qty=1", received.Body);

        // A GET is reversible: it goes out with no approval at all.
        Assert.Equal(200, (await node.Get(session)).Status);
        Assert.Empty((await approver.Approvals.ListApprovalsAsync(new ListApprovalsRequest())).Approvals);
    }

    [Fact]
    public async Task A_held_request_is_refused_with_403_on_denial_and_on_expiry_and_never_reaches_the_upstream()
    {
        using var approver = await Approver(TimeSpan.FromSeconds(60));
        var session = await node.NewSession(Upstream);
        var before = node.Upstream.Requests.Count;

        var denied = node.Send(Post(session, "/v1/transfers", "amount=100"));
        var held = await Pending(approver, session.Id);
        await approver.Approvals.DenyAsync(new DecideRequest { Id = held.Id, Note = "not today" });
        var deniedResponse = await denied;
        Assert.Equal(403, deniedResponse.Status);
        Assert.Equal("denied\n", deniedResponse.Body);

        await node.Admin.Tenants.UpdateTenantAsync(new UpdateTenantRequest { Name = node.Tenant, ApprovalTimeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(2)) });
        var expired = await node.Send(Post(session, "/v1/transfers", "amount=200"));
        Assert.Equal(403, expired.Status);

        Assert.Equal(before, node.Upstream.Requests.Count);
        var reasons = (await BrokerAudit.Rows(node.DataDir, node.Tenant)).Where(r => r.Kind == "egress.denied").Select(r => r.Reason).ToList();
        Assert.Contains(reasons, r => r.StartsWith("approval-denied apr_", StringComparison.Ordinal));
        await Eventually.True(async () => (await BrokerAudit.Rows(node.DataDir, node.Tenant))
            .Any(r => r.Kind == "egress.denied" && r.Reason.StartsWith("approval-expired apr_", StringComparison.Ordinal)), "the expiry's audit row");
    }

    [Fact]
    public async Task A_method_override_reaches_the_gate_as_the_method_it_names()
    {
        using var approver = await Approver(TimeSpan.FromSeconds(60));
        var session = await node.NewSession(Upstream);
        var before = node.Upstream.Requests.Count;

        var sending = node.Send(session, "GET", "/v1/customers/cus_1", "X-HTTP-Method-Override: DELETE\r\n");
        var held = await Pending(approver, session.Id);
        using var payload = JsonDocument.Parse(held.RedactedPayload);
        Assert.Equal(("http.request", "Irreversible"), (held.Action, held.Risk));
        Assert.Equal("DELETE", payload.RootElement.GetProperty("method").GetString());
        Assert.Equal("DELETE", payload.RootElement.GetProperty("headers").GetProperty("x-http-method-override").GetString());

        await approver.Approvals.DenyAsync(new DecideRequest { Id = held.Id, Note = "no" });
        Assert.Equal(403, (await sending).Status);
        Assert.Equal(before, node.Upstream.Requests.Count);
    }

    [Fact]
    public async Task The_payload_shows_the_scheme_and_port_actually_used()
    {
        using var approver = await Approver(TimeSpan.FromSeconds(60));
        var session = await node.NewSession(Upstream, "127.0.0.1:443");

        var sending = node.Send($"POST http://127.0.0.1:443/v1/orders HTTP/1.1\r\nHost: 127.0.0.1:443\r\n"
            + $"Proxy-Authorization: {session.ProxyAuthorization}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nsku=1");
        var held = await Pending(approver, session.Id);
        using var payload = JsonDocument.Parse(held.RedactedPayload);
        Assert.Equal("http://127.0.0.1:443/v1/orders", payload.RootElement.GetProperty("url").GetString());

        await approver.Approvals.DenyAsync(new DecideRequest { Id = held.Id, Note = "no" });
        Assert.Equal(403, (await sending).Status);
    }

    [Fact]
    public async Task The_approver_sees_method_url_meaningful_headers_and_the_decoded_body_and_the_hash_binds_them()
    {
        using var approver = await Approver(TimeSpan.FromSeconds(60));
        var session = await node.NewSession(Upstream);
        const string body = "amount=2000&currency=usd&destination=acct_1Recipient&card_number=4242424242424242";
        const string headers = "Content-Type: application/x-www-form-urlencoded\r\nStripe-Account: acct_9Connected\r\nX-Trace: t1\r\n";

        var first = node.Send(session, "POST", "/v1/payouts?expand=balance", headers + "Idempotency-Key: idem-1\r\n", body);
        var held = await Pending(approver, session.Id);
        using (var payload = JsonDocument.Parse(held.RedactedPayload))
        {
            var root = payload.RootElement;
            Assert.Equal("POST", root.GetProperty("method").GetString());
            Assert.Equal($"http://{Upstream}/v1/payouts?expand=balance", root.GetProperty("url").GetString());
            var shownHeaders = root.GetProperty("headers");
            Assert.Equal("idem-1", shownHeaders.GetProperty("idempotency-key").GetString());
            Assert.Equal("acct_9Connected", shownHeaders.GetProperty("stripe-account").GetString());
            Assert.Equal("application/x-www-form-urlencoded", shownHeaders.GetProperty("content-type").GetString());
            Assert.False(shownHeaders.TryGetProperty("x-trace", out _), "a header that changes no meaning is not shown");
            var shownBody = root.GetProperty("body");
            Assert.Equal("2000", shownBody.GetProperty("amount").GetString());
            Assert.Equal("usd", shownBody.GetProperty("currency").GetString());
            Assert.Equal("acct_1Recipient", shownBody.GetProperty("destination").GetString());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(body))), root.GetProperty("bodySha256").GetString());
        }
        Assert.DoesNotContain("4242424242424242", held.RedactedPayload, StringComparison.Ordinal);

        // The readable summary, as an approver reads it on the command line.
        var show = await Agentctl.RunAsync(node.Silo.ApiEndpoint, approver.ApiKey, "approvals", "show", held.Id);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains($"POST http://{Upstream}/v1/payouts?expand=balance", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("amount: 2000", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("currency: usd", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("destination: acct_1Recipient", show.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("4242424242424242", show.Stdout, StringComparison.Ordinal);
        await approver.Approvals.DenyAsync(new DecideRequest { Id = held.Id, Note = "no" });
        Assert.Equal(403, (await first).Status);

        // The same request with another idempotency key is another approval: the hash binds the headers too.
        var second = node.Send(session, "POST", "/v1/payouts?expand=balance", headers + "Idempotency-Key: idem-2\r\n", body);
        var again = await Pending(approver, session.Id);
        Assert.NotEqual(held.PayloadSha256, again.PayloadSha256);
        await approver.Approvals.DenyAsync(new DecideRequest { Id = again.Id, Note = "no" });
        Assert.Equal(403, (await second).Status);
    }

    [Fact]
    public async Task A_large_body_is_shown_in_part_and_hashed_whole()
    {
        using var approver = await Approver(TimeSpan.FromSeconds(60));
        var session = await node.NewSession(Upstream);
        var body = "{\"amount\":1,\"memo\":\"" + new string('m', 40_000) + "\"}";

        var sending = node.Send(session, "POST", "/v1/notes", "Content-Type: application/json\r\n", body);
        var held = await Pending(approver, session.Id);
        using (var payload = JsonDocument.Parse(held.RedactedPayload))
        {
            var root = payload.RootElement;
            Assert.Equal(body.Length, root.GetProperty("bodyBytes").GetInt32());
            Assert.True(root.GetProperty("bodyTruncated").GetBoolean());
            Assert.True(root.GetProperty("body").GetString()!.Length <= 16 * 1024);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(body))), root.GetProperty("bodySha256").GetString());
        }
        await approver.Approvals.DenyAsync(new DecideRequest { Id = held.Id, Note = "no" });
        Assert.Equal(403, (await sending).Status);
    }

    private string Post(SandboxSession session, string path, string body) =>
        $"POST http://{Upstream}{path} HTTP/1.1\r\nHost: {Upstream}\r\nProxy-Authorization: {session.ProxyAuthorization}\r\n"
        + $"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";

    private Task<ApiClients> Approver(TimeSpan timeout) => node.Approver(timeout);

    private static Task<Approval> Pending(ApiClients approver, string session) => EgressNodeFixture.Pending(approver, session);
}
