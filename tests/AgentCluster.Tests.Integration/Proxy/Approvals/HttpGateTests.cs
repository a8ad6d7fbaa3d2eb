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

    private string Post(SandboxSession session, string path, string body) =>
        $"POST http://{Upstream}{path} HTTP/1.1\r\nHost: {Upstream}\r\nProxy-Authorization: {session.ProxyAuthorization}\r\n"
        + $"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";

    /// <summary>An approver of the fixture's tenant, with the tenant's approval timeout set for this test.</summary>
    private async Task<ApiClients> Approver(TimeSpan timeout)
    {
        await node.Admin.Tenants.UpdateTenantAsync(new UpdateTenantRequest { Name = node.Tenant, ApprovalTimeout = Duration.FromTimeSpan(timeout) });
        var key = await node.Admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = node.Tenant, Roles = { "approver" } });
        return new ApiClients(node.Silo.ApiEndpoint, key.Secret);
    }

    private static async Task<Approval> Pending(ApiClients approver, string session)
    {
        Approval? found = null;
        await Eventually.True(async () =>
        {
            found = (await approver.Approvals.ListApprovalsAsync(new ListApprovalsRequest())).Approvals.FirstOrDefault(a => a.Session == session);
            return found is not null;
        }, "a pending approval for the held request");
        return found!;
    }
}
