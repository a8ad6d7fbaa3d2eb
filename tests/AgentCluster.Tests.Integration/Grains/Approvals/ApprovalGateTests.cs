using System.Text.Json;
using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using Grpc.Core;

namespace AgentCluster.Tests.Integration.Grains.Approvals;

/// <summary>The gate end to end on a real node: classification, holds, decisions, completion, session end.</summary>
[Collection(ApprovalNodeCollection.Name)]
public sealed class ApprovalGateTests(ApprovalNodeFixture node)
{
    private const string Charge = """{"amount": 4200, "currency": "eur", "customer": "cus_1", "card_number": "4242424242424242"}""";

    [Fact]
    public async Task Reversible_and_recoverable_actions_are_allowed_and_irreversible_and_unknown_ones_are_held()
    {
        await node.SetTimeout(TimeSpan.FromSeconds(300));
        var session = await node.NewSession();

        var click = await node.Authorize(session.Id, "browser.click", """{"selector": "#buy"}""");
        Assert.Equal(("allowed", "Reversible", ""), (click.Decision, click.Risk, click.ApprovalId));
        var select = await node.Authorize(session.Id, "db.execute", """{"sql": "SELECT * FROM orders -- ; DELETE FROM orders"}""");
        Assert.Equal(("allowed", "Reversible"), (select.Decision, select.Risk));
        var delete = await node.Authorize(session.Id, "db.execute", """{"sql": "SELECT 1; DELETE FROM orders"}""");
        Assert.Equal(("pending", "Irreversible"), (delete.Decision, delete.Risk));

        var refund = await node.Authorize(session.Id, "stripe.refund", """{"charge": "ch_1", "api_key": "sk_live_never_in_audit"}""");
        Assert.Equal(("allowed", "RecoverableWithAudit"), (refund.Decision, refund.Risk));
        var row = (await node.AuditRows()).Last(r => r.Kind == "action.authorized" && r.Detail.Contains("stripe.refund"));
        var detail = JsonDocument.Parse(row.Detail).RootElement;
        Assert.Contains("[redacted]", detail.GetProperty("payload").GetString());
        Assert.Contains("ch_1", detail.GetProperty("payload").GetString());
        Assert.DoesNotContain("sk_live_never_in_audit", row.Detail);
        Assert.False(string.IsNullOrEmpty(detail.GetProperty("revertHint").GetString()));

        var charge = await node.Authorize(session.Id, "stripe.charge", Charge);
        Assert.Equal(("pending", "Irreversible"), (charge.Decision, charge.Risk));
        Assert.Matches("^apr_[0-9a-f]{32}$", charge.ApprovalId);
        Assert.InRange(charge.Deadline.ToDateTime(), DateTime.UtcNow + TimeSpan.FromSeconds(280), DateTime.UtcNow + TimeSpan.FromSeconds(301));
        var unknown = await node.Authorize(session.Id, "crm.merge_contacts", "{}");
        Assert.Equal(("pending", "Irreversible"), (unknown.Decision, unknown.Risk));

        // The approver sees the held action, its payload redacted, in the tenant's inbox.
        var shown = await node.Approver.Approvals.GetApprovalAsync(new GetApprovalRequest { Id = charge.ApprovalId });
        Assert.Equal(("pending", "stripe.charge", session.Id), (shown.Status, shown.Action, shown.Session));
        Assert.DoesNotContain("4242424242424242", shown.RedactedPayload);
        Assert.Contains("cus_1", shown.RedactedPayload);
        var inbox = await node.Approver.Approvals.ListApprovalsAsync(new ListApprovalsRequest());
        Assert.Contains(inbox.Approvals, a => a.Id == charge.ApprovalId);
        Assert.Contains(inbox.Approvals, a => a.Id == unknown.ApprovalId);
    }

    [Fact]
    public async Task A_one_second_deadline_with_no_decision_ends_expired_and_a_later_approve_is_refused()
    {
        var updated = await node.SetTimeout(TimeSpan.FromSeconds(1));
        Assert.Equal(1, updated.ApprovalTimeout.Seconds);
        var session = await node.NewSession();
        var held = await node.Authorize(session.Id, "email.send_to_customer", """{"to": "a@example.com"}""");
        Assert.Equal("pending", held.Decision);

        var wait = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.OrchestratorKey, "--json", "action", "wait", held.ApprovalId);
        Assert.Equal(12, wait.ExitCode);
        Assert.Equal("expired", JsonDocument.Parse(wait.Stdout).RootElement.GetProperty("status").GetString());
        Assert.Contains("expired", wait.Stderr);

        var late = await Assert.ThrowsAsync<RpcException>(() =>
            node.Approver.Approvals.ApproveAsync(new DecideRequest { Id = held.ApprovalId }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, late.StatusCode);
        var approval = await node.Approver.Approvals.GetApprovalAsync(new GetApprovalRequest { Id = held.ApprovalId });
        Assert.Equal(("expired", "system"), (approval.Status, approval.DecidedBy));
        Assert.Contains(await node.AuditRows(), r => r.Kind == "approval.decided" && r.Outcome == "expired");
        Assert.Contains(await node.AuditRows(), r => r.Kind == "approval.refused" && r.Reason == "approve refused: already expired");
        var pending = await node.Approver.Approvals.ListApprovalsAsync(new ListApprovalsRequest());
        Assert.DoesNotContain(pending.Approvals, a => a.Id == held.ApprovalId);
    }

    [Fact]
    public async Task The_first_decision_wins_and_payload_swaps_and_unapproved_completions_are_refused_and_audited()
    {
        await node.SetTimeout(TimeSpan.FromSeconds(300));
        var session = await node.NewSession();
        var a = await node.Authorize(session.Id, "stripe.charge", Charge);
        var b = await node.Authorize(session.Id, "git.force_push", """{"branch": "main"}""");

        var approved = await node.Approver.Approvals.ApproveAsync(new DecideRequest { Id = a.ApprovalId, Note = "customer asked" });
        Assert.Equal("approved", approved.Status);
        var twice = await Assert.ThrowsAsync<RpcException>(() => node.Approver.Approvals.ApproveAsync(new DecideRequest { Id = a.ApprovalId }).ResponseAsync);
        var flip = await Assert.ThrowsAsync<RpcException>(() => node.Approver.Approvals.DenyAsync(new DecideRequest { Id = a.ApprovalId, Note = "no" }).ResponseAsync);
        await node.Approver.Approvals.DenyAsync(new DecideRequest { Id = b.ApprovalId, Note = "never force-push main" });
        var afterDeny = await Assert.ThrowsAsync<RpcException>(() => node.Approver.Approvals.ApproveAsync(new DecideRequest { Id = b.ApprovalId }).ResponseAsync);
        Assert.All(new[] { twice, flip, afterDeny }, e => Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode));
        Assert.Equal("approved", (await node.Approver.Approvals.GetApprovalAsync(new GetApprovalRequest { Id = a.ApprovalId })).Status);

        var swapped = Charge.Replace("4200", "9999999", StringComparison.Ordinal);
        await Refused(a.ApprovalId, swapped, StatusCode.FailedPrecondition);
        await Refused(b.ApprovalId, """{"branch": "main"}""", StatusCode.FailedPrecondition);
        await Refused("apr_00000000000000000000000000000000", Charge, StatusCode.NotFound);
        await node.Orchestrator.Actions.CompleteAsync(Completion(a.ApprovalId, Charge));
        await Refused(a.ApprovalId, Charge, StatusCode.FailedPrecondition);
        Assert.Equal("succeeded", (await node.Approver.Approvals.GetApprovalAsync(new GetApprovalRequest { Id = a.ApprovalId })).Outcome);

        var reasons = (await node.AuditRows()).Where(r => r.Kind == "approval.refused").Select(r => r.Reason).ToList();
        Assert.Contains("approve refused: already approved", reasons);
        Assert.Contains("deny refused: already approved", reasons);
        Assert.Contains("approve refused: already denied", reasons);
        Assert.Contains("completion refused: the payload is not the approved one", reasons);
        Assert.Contains("completion refused: the approval is not approved", reasons);
        Assert.Contains("completion refused: no such approval", reasons);
        Assert.Contains("completion refused: already completed", reasons);
        // Other tests of the collection complete approvals of their own sessions on the same node.
        Assert.Single(await node.AuditRows(), r => r.Kind == "approval.completed" && r.Detail.Contains($"\"session\":\"{session.Id}\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_the_approver_role_decides()
    {
        await node.SetTimeout(TimeSpan.FromSeconds(300));
        var session = await node.NewSession();
        var held = await node.Authorize(session.Id, "db.delete_row", """{"table": "users", "id": 7}""");
        foreach (var api in new[] { node.Orchestrator, node.TenantAdmin })
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => api.Approvals.ApproveAsync(new DecideRequest { Id = held.ApprovalId }).ResponseAsync);
            Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        }
        var cli = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.OrchestratorKey, "approvals", "approve", held.ApprovalId);
        Assert.Equal(4, cli.ExitCode);
        Assert.Equal("pending", (await node.Approver.Approvals.GetApprovalAsync(new GetApprovalRequest { Id = held.ApprovalId })).Status);
        // And the approver cannot act as an orchestrator: deciding and asking are separate duties.
        var ask = await Assert.ThrowsAsync<RpcException>(() => node.Approver.Actions.AuthorizeAsync(new AuthorizeRequest
        {
            Session = session.Id, Action = "browser.click",
        }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, ask.StatusCode);
    }

    [Fact]
    public async Task A_session_that_ends_denies_its_pending_approvals_and_then_authorizes_nothing()
    {
        await node.SetTimeout(TimeSpan.FromSeconds(300));
        var session = await node.NewSession();
        var held = await node.Authorize(session.Id, "form.submit_purchase", """{"cart": 3}""");
        await node.Orchestrator.Sessions.KillSessionAsync(new KillSessionRequest { Id = session.Id });

        var approval = await node.Approver.Approvals.GetApprovalAsync(new GetApprovalRequest { Id = held.ApprovalId });
        Assert.Equal("denied", approval.Status);
        Assert.Contains("session ended", approval.Note);
        var after = await Assert.ThrowsAsync<RpcException>(() => node.Authorize(session.Id, "browser.click", "{}"));
        Assert.Equal(StatusCode.FailedPrecondition, after.StatusCode);
    }

    [Fact]
    public async Task A_tenant_admin_can_make_actions_stricter_but_not_more_lenient_than_the_admin_allows()
    {
        await node.SetTimeout(TimeSpan.FromSeconds(300));
        var session = await node.NewSession();
        try
        {
            // No admin floor for stripe.charge: the tenant's Reversible is refused when set, naming the floor, and nothing changes.
            var belowFloor = await Assert.ThrowsAsync<RpcException>(() => node.TenantAdmin.Tenants.UpdateTenantAsync(new UpdateTenantRequest
            {
                Name = node.Tenant, ReplaceRiskOverrides = true,
                RiskOverrides = { ["browser.click"] = "Irreversible", ["stripe.charge"] = "Reversible" },
            }).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, belowFloor.StatusCode);
            Assert.StartsWith("stripe.charge=Reversible is below the admin's floor Irreversible", belowFloor.Status.Detail, StringComparison.Ordinal);
            Assert.Empty((await node.Admin.Tenants.GetTenantAsync(new GetTenantRequest { Name = node.Tenant })).RiskOverrides);

            var updated = await node.TenantAdmin.Tenants.UpdateTenantAsync(new UpdateTenantRequest
            {
                Name = node.Tenant, ReplaceRiskOverrides = true, RiskOverrides = { ["browser.click"] = "Irreversible" },
            });
            Assert.Equal("Irreversible", updated.Tenant.RiskOverrides["browser.click"]);
            Assert.Equal(("pending", "Irreversible"), await Decision(session.Id, "browser.click"));
            Assert.Equal(("pending", "Irreversible"), await Decision(session.Id, "stripe.charge"));

            foreach (var bad in new[] { "Harmless", "0", "" })
            {
                var e = await Assert.ThrowsAsync<RpcException>(() => node.TenantAdmin.Tenants.UpdateTenantAsync(new UpdateTenantRequest
                {
                    Name = node.Tenant, ReplaceRiskOverrides = true, RiskOverrides = { ["browser.type"] = bad },
                }).ResponseAsync);
                Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            }
            var unchanged = await node.Admin.Tenants.GetTenantAsync(new GetTenantRequest { Name = node.Tenant });
            Assert.False(unchanged.RiskOverrides.ContainsKey("browser.type"));
        }
        finally
        {
            await node.TenantAdmin.Tenants.UpdateTenantAsync(new UpdateTenantRequest { Name = node.Tenant, ReplaceRiskOverrides = true });
        }
        Assert.Equal(("allowed", "Reversible"), await Decision(session.Id, "browser.click"));
    }

    private async Task<(string, string)> Decision(string session, string action)
    {
        var answer = await node.Authorize(session, action, "{}");
        return (answer.Decision, answer.Risk);
    }

    private async Task Refused(string id, string payload, StatusCode expected)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => node.Orchestrator.Actions.CompleteAsync(Completion(id, payload)).ResponseAsync);
        Assert.Equal(expected, e.StatusCode);
    }

    private static CompleteRequest Completion(string id, string payload) => new()
    {
        ApprovalId = id,
        PayloadSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(payload))),
        Outcome = "succeeded",
    };
}
