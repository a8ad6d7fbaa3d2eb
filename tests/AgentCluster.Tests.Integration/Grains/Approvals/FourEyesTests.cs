using System.Text;
using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AgentCluster.Tests.Integration.Grains.Approvals;

/// <summary>
/// Four eyes at the gRPC API: the key that asked for an action, or whose session it is, never
/// decides it, even when that key also holds the approver role. Another approver still can.
/// </summary>
[Collection(ApprovalNodeCollection.Name)]
public sealed class FourEyesTests(ApprovalNodeFixture node)
{
    private const string Charge = """{"amount": 900, "currency": "eur", "customer": "cus_4eyes"}""";

    private async Task<(ApiClients Clients, string KeyId)> BothRoles()
    {
        var key = await node.Admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = node.Tenant, Roles = { "orchestrator", "approver" } });
        return (new ApiClients(node.Silo.ApiEndpoint, key.Secret), key.Key.Id);
    }

    private async Task<Session> SessionOf(ApiClients creator)
    {
        var session = await creator.Sessions.CreateSessionAsync(new CreateSessionRequest
        {
            Tenant = node.Tenant, Image = DockerHosts.Image, Ttl = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)),
        });
        Assert.Equal("Ready", session.State);
        return session;
    }

    private static Task<AuthorizeResponse> Authorize(ApiClients by, string session) =>
        by.Actions.AuthorizeAsync(new AuthorizeRequest
        {
            Session = session, Action = "stripe.charge", Payload = ByteString.CopyFrom(Encoding.UTF8.GetBytes(Charge)),
        }).ResponseAsync;

    private static async Task AssertRefusedToDecide(ApiClients by, string keyId, string approvalId)
    {
        var approve = await Assert.ThrowsAsync<RpcException>(() => by.Approvals.ApproveAsync(new DecideRequest { Id = approvalId, Note = "mine" }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, approve.StatusCode);
        Assert.Contains("four eyes", approve.Status.Detail);
        Assert.Contains(keyId, approve.Status.Detail);
        var deny = await Assert.ThrowsAsync<RpcException>(() => by.Approvals.DenyAsync(new DecideRequest { Id = approvalId, Note = "mine" }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, deny.StatusCode);
    }

    [Fact]
    public async Task A_key_with_both_roles_cannot_decide_the_action_it_asked_for_and_another_approver_can()
    {
        await node.SetTimeout(TimeSpan.FromSeconds(300));
        var (both, keyId) = await BothRoles();
        using var _ = both;
        var session = await SessionOf(both);
        var held = await Authorize(both, session.Id);
        Assert.Equal("pending", held.Decision);

        await AssertRefusedToDecide(both, keyId, held.ApprovalId);

        // Nothing changed: still pending, and the refusal is in the audit log.
        var still = await node.Approver.Approvals.GetApprovalAsync(new GetApprovalRequest { Id = held.ApprovalId });
        Assert.Equal(("pending", ""), (still.Status, still.DecidedBy));
        var rows = await node.AuditRows();
        Assert.Contains(rows, r => r.Kind == "approval.refused" && r.Reason.Contains("four eyes", StringComparison.Ordinal));

        var approved = await node.Approver.Approvals.ApproveAsync(new DecideRequest { Id = held.ApprovalId, Note = "checked" });
        Assert.Equal("approved", approved.Status);
        await node.Admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = session.Id });
    }

    [Fact]
    public async Task The_key_that_created_the_session_cannot_decide_what_another_key_asked_for_in_it()
    {
        await node.SetTimeout(TimeSpan.FromSeconds(300));
        var (owner, ownerId) = await BothRoles();
        var (other, otherId) = await BothRoles();
        using var _ = owner;
        using var __ = other;
        var session = await SessionOf(owner);
        // The owner's session asks through someone else, as the egress proxy asks for the sessions it serves.
        var held = await Authorize(other, session.Id);
        Assert.Equal("pending", held.Decision);

        await AssertRefusedToDecide(owner, ownerId, held.ApprovalId);
        await AssertRefusedToDecide(other, otherId, held.ApprovalId);

        var denied = await node.Approver.Approvals.DenyAsync(new DecideRequest { Id = held.ApprovalId, Note = "no" });
        Assert.Equal("denied", denied.Status);
        await node.Admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = session.Id });
    }
}
