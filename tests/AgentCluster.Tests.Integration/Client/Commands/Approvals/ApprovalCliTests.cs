using System.Text.Json;
using AgentCluster.Tests.Integration.Grains.Approvals;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Client.Commands.Approvals;

/// <summary>The whole loop as people and scripts run it: agentctl for the orchestrator and for the approver.</summary>
[Collection(ApprovalNodeCollection.Name)]
public sealed class ApprovalCliTests(ApprovalNodeFixture node) : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task An_approval_releases_the_waiting_orchestrator_and_the_exact_payload_completes()
    {
        var timeout = await Run(node.AdminKey, "--json", "tenants", "update", node.Tenant, "--approval-timeout", "300s");
        Assert.Equal(300, JsonDocument.Parse(timeout.Stdout).RootElement.GetProperty("tenant").GetProperty("approvalTimeout").GetDouble());
        var session = await node.NewSession();
        var payload = _dir.Sub("charge.json");
        await File.WriteAllTextAsync(payload, """{"amount": 1999, "customer": "cus_9", "cvc": "123"}""");

        var authorize = await Run(node.OrchestratorKey, "--json", "action", "authorize", "--session", session.Id,
            "--action", "stripe.charge", "--payload-file", payload);
        Assert.Equal(0, authorize.ExitCode);
        var answer = JsonDocument.Parse(authorize.Stdout).RootElement;
        Assert.Equal("pending", answer.GetProperty("decision").GetString());
        Assert.Equal("Irreversible", answer.GetProperty("risk").GetString());
        var id = answer.GetProperty("approvalId").GetString()!;

        var waiting = Agentctl.RunAsync(node.Silo.ApiEndpoint, node.OrchestratorKey, "--json", "action", "wait", id);
        var list = await Run(node.ApproverKey, "--json", "approvals", "list");
        var listed = JsonDocument.Parse(list.Stdout).RootElement.GetProperty("approvals").EnumerateArray()
            .Single(a => a.GetProperty("id").GetString() == id);
        Assert.DoesNotContain("123", listed.GetProperty("redactedPayload").GetString());
        var show = await Run(node.ApproverKey, "approvals", "show", id);
        Assert.Contains("stripe.charge", show.Stdout);
        Assert.Contains("[redacted]", show.Stdout);
        Assert.False(waiting.IsCompleted, "the wait ended before any decision");

        await Run(node.ApproverKey, "approvals", "approve", id, "--comment", "ok by finance");
        var waited = await waiting;
        Assert.Equal(0, waited.ExitCode);
        Assert.Equal("approved", JsonDocument.Parse(waited.Stdout).RootElement.GetProperty("status").GetString());
        Assert.Equal("ok by finance", JsonDocument.Parse(waited.Stdout).RootElement.GetProperty("note").GetString());

        var complete = await Run(node.OrchestratorKey, "action", "complete", id, "--payload-file", payload, "--outcome", "succeeded");
        Assert.Contains("completed", complete.Stdout);
        var again = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.OrchestratorKey,
            "action", "complete", id, "--payload-file", payload, "--outcome", "succeeded");
        Assert.Equal(10, again.ExitCode);
        Assert.Contains("already completed", again.Stderr);
    }

    [Fact]
    public async Task A_denial_ends_the_wait_with_exit_12_and_bad_input_changes_nothing()
    {
        await Run(node.AdminKey, "tenants", "update", node.Tenant, "--approval-timeout", "300s");
        var session = await node.NewSession();
        var held = await node.Authorize(session.Id, "email.send_to_customer", """{"to": "b@example.com"}""");
        var waiting = Agentctl.RunAsync(node.Silo.ApiEndpoint, node.OrchestratorKey, "action", "wait", held.ApprovalId);

        var noReason = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.ApproverKey, "approvals", "deny", held.ApprovalId);
        Assert.Equal(2, noReason.ExitCode);
        var badTimeout = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.AdminKey, "tenants", "update", node.Tenant, "--approval-timeout", "0s");
        Assert.Equal(2, badTimeout.ExitCode);
        var missing = await Agentctl.RunAsync(node.Silo.ApiEndpoint, node.OrchestratorKey, "action", "authorize",
            "--session", session.Id, "--action", "stripe.charge", "--payload-file", _dir.Sub("absent.json"));
        Assert.Equal(2, missing.ExitCode);
        Assert.StartsWith("agentctl: ", missing.Stderr);
        Assert.False(waiting.IsCompleted);

        await Run(node.ApproverKey, "approvals", "deny", held.ApprovalId, "--reason", "not this customer");
        var waited = await waiting;
        Assert.Equal(12, waited.ExitCode);
        Assert.Contains("denied: not this customer", waited.Stderr);
    }

    private async Task<AgentctlResult> Run(string key, params string[] args)
    {
        var result = await Agentctl.RunAsync(node.Silo.ApiEndpoint, key, args);
        Assert.True(result.ExitCode == 0, $"agentctl {string.Join(' ', args)} exited {result.ExitCode}: {result.Stderr}");
        return result;
    }

    public void Dispose() => _dir.Dispose();
}
