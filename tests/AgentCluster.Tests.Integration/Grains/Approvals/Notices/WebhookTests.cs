using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentCluster.Api.V1;
using AgentCluster.Tests.Integration.Infrastructure;
using Grpc.Core;

namespace AgentCluster.Tests.Integration.Grains.Approvals.Notices;

/// <summary>The out-of-band notice: a signed POST to a real listener on loopback, retried, and audited when it fails.</summary>
[Collection(ApprovalNodeCollection.Name)]
public sealed class WebhookTests(ApprovalNodeFixture node)
{
    [Fact]
    public async Task A_pending_approval_reaches_the_webhook_with_a_valid_signature_and_timestamp()
    {
        using var listener = new WebhookListener(_ => 200);
        await WithWebhook(listener, async secret =>
        {
            var session = await node.NewSession();
            var held = await node.Authorize(session.Id, "stripe.charge", """{"amount": 5, "card_number": "4000056655665556"}""");
            var (signature, body, at) = await First(listener, 1);

            var parts = signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            var unix = long.Parse(parts["t"], CultureInfo.InvariantCulture);
            Assert.InRange(DateTimeOffset.FromUnixTimeSeconds(unix), at - TimeSpan.FromSeconds(30), at + TimeSpan.FromSeconds(1));
            var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. Encoding.ASCII.GetBytes($"{unix}."), .. body]);
            Assert.Equal(Convert.ToHexStringLower(expected), parts["v1"]);
            var forged = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. Encoding.ASCII.GetBytes($"{unix + 1}."), .. body]);
            Assert.NotEqual(Convert.ToHexStringLower(forged), parts["v1"]);

            var json = JsonDocument.Parse(body).RootElement;
            Assert.Equal("approval.pending", json.GetProperty("type").GetString());
            Assert.Equal(held.ApprovalId, json.GetProperty("approvalId").GetString());
            Assert.Equal(node.Tenant, json.GetProperty("tenant").GetString());
            Assert.DoesNotContain("4000056655665556", Encoding.UTF8.GetString(body));
            await Eventually(async () => (await node.AuditRows()).Any(r => r.Kind == "approval.notified" && r.Detail.Contains("\"attempts\":\"1\"")));
        });
    }

    [Fact]
    public async Task A_listener_that_answers_500_is_retried_and_a_delivery_that_never_succeeds_is_audited()
    {
        using var flaky = new WebhookListener(attempt => attempt < 3 ? 500 : 204);
        await WithWebhook(flaky, async _ =>
        {
            var session = await node.NewSession();
            await node.Authorize(session.Id, "db.delete_row", """{"id": 1}""");
            await First(flaky, 3);
            Assert.Equal(3, flaky.Received.Count);
            await Eventually(async () => (await node.AuditRows()).Any(r => r.Kind == "approval.notified" && r.Detail.Contains("\"attempts\":\"3\"")));
        });

        using var down = new WebhookListener(_ => 500);
        await WithWebhook(down, async _ =>
        {
            var session = await node.NewSession();
            var held = await node.Authorize(session.Id, "git.force_push", """{"branch": "release"}""");
            await Eventually(async () => (await node.AuditRows()).Any(r =>
                r.Kind == "approval.notify_failed" && r.Reason == "HTTP 500" && r.Detail.Contains("\"attempts\":\"4\"")));
            Assert.Equal(4, down.Received.Count);
            // The approval works without its notice.
            var approved = await node.Approver.Approvals.ApproveAsync(new DecideRequest { Id = held.ApprovalId });
            Assert.Equal("approved", approved.Status);
        });
    }

    [Fact]
    public async Task Only_a_cluster_admin_sets_a_webhook_and_its_url_is_shown_and_audited_by_origin_only()
    {
        var tenantAdmin = await Assert.ThrowsAsync<RpcException>(() => node.TenantAdmin.Tenants.UpdateTenantAsync(
            new UpdateTenantRequest { Name = node.Tenant, WebhookUrl = "http://127.0.0.1:9/x" }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, tenantAdmin.StatusCode);
        foreach (var bad in new[] { "ftp://127.0.0.1/x", "not a url", "http://user:pw@127.0.0.1/x", "/relative" })
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => node.Admin.Tenants.UpdateTenantAsync(
                new UpdateTenantRequest { Name = node.Tenant, WebhookUrl = bad }).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        }
        var unchanged = await node.Admin.Tenants.GetTenantAsync(new GetTenantRequest { Name = node.Tenant });
        Assert.Equal("", unchanged.WebhookUrl);

        using var listener = new WebhookListener(_ => 200);
        await WithWebhook(listener, async _ =>
        {
            var shown = await node.TenantAdmin.Tenants.GetTenantAsync(new GetTenantRequest { Name = node.Tenant });
            Assert.Equal($"http://127.0.0.1:{listener.Port}/…", shown.WebhookUrl);
            Assert.DoesNotContain(await node.AuditRows(), r => r.Detail.Contains("path-secret"));
        });
    }

    /// <summary>Points the tenant's webhook at <paramref name="listener"/> for the test, and always takes it away after.</summary>
    private async Task WithWebhook(WebhookListener listener, Func<string, Task> test)
    {
        var set = await node.Admin.Tenants.UpdateTenantAsync(new UpdateTenantRequest
        {
            Name = node.Tenant, WebhookUrl = listener.Url, RotateWebhookSecret = true,
            ApprovalTimeout = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(300)),
        });
        Assert.StartsWith("whsec_", set.WebhookSecret);
        try
        {
            await test(set.WebhookSecret);
        }
        finally
        {
            await node.Admin.Tenants.UpdateTenantAsync(new UpdateTenantRequest { Name = node.Tenant, WebhookUrl = "" });
        }
    }

    private static async Task<(string Signature, byte[] Body, DateTimeOffset At)> First(WebhookListener listener, int count)
    {
        await Eventually(() => Task.FromResult(listener.Received.Count >= count));
        return listener.Received.First();
    }

    private static Task Eventually(Func<Task<bool>> condition) =>
        Infrastructure.Eventually.True(condition, "the webhook's delivery and its audit row", TimeSpan.FromSeconds(30));
}
