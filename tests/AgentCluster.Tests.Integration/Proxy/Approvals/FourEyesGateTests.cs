using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using Grpc.Core;

namespace AgentCluster.Tests.Integration.Proxy.Approvals;

/// <summary>
/// Four eyes at the HTTP gate: the proxy asks on the session's behalf, and the key that created
/// the session is the one asking, so it cannot release its own agent's request, whatever its roles.
/// </summary>
public sealed class FourEyesGateTests(EgressNodeFixture node) : IClassFixture<EgressNodeFixture>
{
    [Fact]
    public async Task The_key_that_created_the_session_cannot_release_its_held_request_and_another_approver_can()
    {
        using var approver = await node.Approver(TimeSpan.FromSeconds(60));
        var key = await node.Admin.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = node.Tenant, Roles = { "orchestrator", "approver" } });
        using var owner = new ApiClients(node.Silo.ApiEndpoint, key.Secret);
        var session = await node.NewSession(owner, ["echo:read"], $"127.0.0.1:{node.Upstream.Port}");
        var before = node.Upstream.Requests.Count;

        var sending = node.Send(session, "POST", "/v1/orders", "Content-Type: application/x-www-form-urlencoded\r\n", "sku=7&qty=1");
        var held = await EgressNodeFixture.Pending(owner, session.Id);

        var refused = await Assert.ThrowsAsync<RpcException>(() => owner.Approvals.ApproveAsync(new DecideRequest { Id = held.Id, Note = "mine" }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains("four eyes", refused.Status.Detail);
        Assert.Contains(key.Key.Id, refused.Status.Detail);
        Assert.False(sending.IsCompleted, "the held request was answered after the refused approval");
        Assert.Equal(before, node.Upstream.Requests.Count);

        await approver.Approvals.ApproveAsync(new DecideRequest { Id = held.Id, Note = "checked" });
        Assert.Equal(200, (await sending).Status);
        Assert.Equal(before + 1, node.Upstream.Requests.Count);
    }
}
