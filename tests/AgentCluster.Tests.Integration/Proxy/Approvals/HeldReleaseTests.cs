using System.Net.Sockets;
using System.Text;
using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Proxy.Approvals;

/// <summary>
/// A request the HTTP gate held is checked again when its approval comes: the world may have
/// changed in the minutes it waited (grant revoked or expired, secret gone, host taken off the
/// allowlist), and an approval is not a licence to skip what would refuse it now. A client that
/// hangs up while held takes its request back.
/// </summary>
public sealed class HeldReleaseTests(EgressNodeFixture node) : IClassFixture<EgressNodeFixture>
{
    private const string Body = "amount=100&currency=usd";

    private string Upstream => $"127.0.0.1:{node.Upstream.Port}";

    [Fact]
    public async Task A_grant_revoked_while_held_stops_the_approved_request()
    {
        await Refused(async (session, _) =>
            await node.Admin.Grants.RevokeGrantsAsync(new RevokeGrantsRequest { Session = session.Id }));
    }

    [Fact]
    public async Task A_grant_that_expired_while_held_stops_the_approved_request()
    {
        await Refused(async (_, _) => await Task.Delay(TimeSpan.FromSeconds(4)), grantTtl: TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_secret_removed_while_held_stops_the_approved_request()
    {
        await node.Admin.Secrets.PutSecretAsync(new PutSecretRequest
        {
            Tenant = node.Tenant, Resource = "gone", Hosts = { "127.0.0.1" }, Actions = { "write" },
            Header = "Authorization", Format = "Bearer {secret}", Value = "sk_live_gone_3Hq7TopSecretValue", AllowPlainHttp = true,
        });
        await Refused(async (_, _) =>
            await node.Admin.Secrets.RemoveSecretAsync(new RemoveSecretRequest { Tenant = node.Tenant, Resource = "gone" }), resource: "gone");
    }

    [Fact]
    public async Task A_host_taken_off_the_allowlist_while_held_stops_the_approved_request()
    {
        await Refused(async (session, _) =>
            await node.Admin.Sessions.ChangeAllowHostsAsync(new ChangeAllowHostsRequest { Id = session.Id, Deny = { Upstream } }));
    }

    [Fact]
    public async Task A_client_that_hangs_up_while_held_withdraws_its_approval()
    {
        using var approver = await node.Approver(TimeSpan.FromSeconds(120));
        var session = await node.NewSession(["echo-rw:write"], Upstream);
        var before = node.Upstream.Requests.Count;

        Approval held;
        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", node.ProxyPort);
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(
                $"POST http://{Upstream}/v1/transfers HTTP/1.1\r\nHost: {Upstream}\r\nProxy-Authorization: {session.ProxyAuthorization}\r\n"
                + $"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {Body.Length}\r\n\r\n{Body}"));
            held = await EgressNodeFixture.Pending(approver, session.Id);
        }

        await node.AuditRow(r => r.Kind == "approval.withdrawn" && r.Detail.Contains(session.Id, StringComparison.Ordinal), "the withdrawal's audit row");
        Assert.Equal("denied", (await approver.Approvals.GetApprovalAsync(new GetApprovalRequest { Id = held.Id })).Status);
        // A decision after the withdrawal changes nothing, and nothing goes out.
        await Record.ExceptionAsync(async () => await approver.Approvals.ApproveAsync(new DecideRequest { Id = held.Id, Note = "too late" }));
        Assert.Equal("denied", (await approver.Approvals.GetApprovalAsync(new GetApprovalRequest { Id = held.Id })).Status);
        Assert.Equal(before, node.Upstream.Requests.Count);
    }

    /// <summary>
    /// A write through the gate with a write stub, held; <paramref name="meanwhile"/> changes the
    /// world; the approver approves; the request must be refused and nothing reach the upstream.
    /// </summary>
    private async Task Refused(Func<SandboxSession, Approval, Task> meanwhile, TimeSpan? grantTtl = null, string resource = "echo-rw")
    {
        using var approver = await node.Approver(TimeSpan.FromSeconds(120));
        var session = await node.NewSession([$"{resource}:write"], Upstream);
        var stub = await node.Grant(session.Id, resource, "write", grantTtl);
        var before = (node.Upstream.Connections, node.Upstream.Requests.Count);

        var sending = node.Send(session, "POST", "/v1/transfers",
            $"Authorization: Bearer {stub}\r\nContent-Type: application/x-www-form-urlencoded\r\n", Body);
        var held = await EgressNodeFixture.Pending(approver, session.Id);
        await meanwhile(session, held);
        await approver.Approvals.ApproveAsync(new DecideRequest { Id = held.Id, Note = "ok" });
        var response = await sending;

        Assert.Equal(403, response.Status);
        Assert.Equal(before, (node.Upstream.Connections, node.Upstream.Requests.Count));
        await node.AuditRow(r => r.Kind == "egress.denied" && r.Reason.StartsWith("release-", StringComparison.Ordinal), "the release check's refusal");
    }
}
