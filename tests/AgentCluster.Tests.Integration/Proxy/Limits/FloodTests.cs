using System.Text.Json;
using AgentCluster.Api.V1;
using AgentCluster.Grains.Credentials;
using AgentCluster.Tests.Integration.Infrastructure;
using Google.Protobuf.WellKnownTypes;
using Orleans.Runtime;

namespace AgentCluster.Tests.Integration.Proxy.Limits;

/// <summary>
/// Floods a sandbox (or anything else that reaches the proxy) can send: bad credentials, random
/// stubs, held approvals. Each must stay bounded in what it costs the cluster and the audit log.
/// </summary>
public sealed class FloodTests(EgressNodeFixture node) : IClassFixture<EgressNodeFixture>
{
    private string Upstream => $"127.0.0.1:{node.Upstream.Port}";

    private string Get(string authorization, string path = "/flood") =>
        $"GET http://{Upstream}{path} HTTP/1.1\r\nHost: {Upstream}\r\nProxy-Authorization: {authorization}\r\nConnection: close\r\n\r\n";

    [Fact]
    public async Task Bad_credentials_from_one_source_are_capped_before_any_grain_is_asked_and_audited_as_one_row_per_interval()
    {
        var session = await node.NewSession(Upstream);
        await using var proxy = await Proxy("SourceFailuresPerSecond=1", "SourceFailureBurst=5", "UnauthenticatedAuditInterval=00:00:01");
        var before = await Anonymous();
        var wrong = "Basic " + RawHttp.Basic(session.Id, "not-the-secret");

        var statuses = new List<int>();
        for (var i = 0; i < 40; i++)
        {
            var response = await RawHttp.SendAsync(proxy.Port, Get(wrong));
            statuses.Add(response.Status);
            if (response.Status == 429)
                Assert.Equal("rate-limited", Assert.Single(response.Header("X-AgentCluster-Egress")));
        }

        Assert.Contains(429, statuses);
        Assert.All(statuses, s => Assert.Contains(s, new[] { 407, 429 }));
        // One row per source per interval, with the count: 40 attempts are a handful of rows, not 40.
        List<(string Reason, string Detail)> rows = [];
        await Eventually.True(async () =>
        {
            rows = [.. (await Anonymous()).Skip(before.Count)];
            return rows.Sum(r => Count(r.Detail)) == statuses.Count;
        }, "aggregated rows that count every attempt", TimeSpan.FromSeconds(30));
        Assert.InRange(rows.Count, 1, 10);
        Assert.All(rows, r => Assert.Contains("\"source\":\"127.0.0.1\"", r.Detail, StringComparison.Ordinal));

        // The source is capped, not the session: once the bucket refills, the right credential works.
        await Eventually.True(async () => (await RawHttp.SendAsync(proxy.Port, Get("Basic " + RawHttp.Basic(session.Id, session.Secret)))).Status == 200,
            "the session's own credential to work again", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Any_source_is_capped_before_authentication_whatever_its_credential()
    {
        var session = await node.NewSession(Upstream);
        await using var proxy = await Proxy("SourceRequestsPerSecond=1", "SourceRequestBurst=3");

        var statuses = new List<int>();
        for (var i = 0; i < 12; i++)
            statuses.Add((await RawHttp.SendAsync(proxy.Port, Get(session.ProxyAuthorization))).Status);

        Assert.Contains(200, statuses);
        Assert.Contains(429, statuses);
    }

    [Fact]
    public async Task Random_and_foreign_stubs_activate_no_grant_grain_and_write_no_grant_row()
    {
        var session = await node.NewSession(Upstream);
        var other = await node.NewSession(Upstream);
        var foreign = (await node.Admin.Grants.RequestGrantAsync(new RequestGrantRequest { Session = other.Id, Resource = "echo", Action = "read" })).Token;
        var own = (await node.Admin.Grants.RequestGrantAsync(new RequestGrantRequest { Session = session.Id, Resource = "echo", Action = "read" })).Token;
        var random = Enumerable.Range(0, 20).Select(_ => GrantTokens.New()).ToList();
        var before = node.Upstream.Requests.Count;

        foreach (var stub in random.Append(foreign))
        {
            var response = await node.Send(Get(session.ProxyAuthorization).Replace("\r\n\r\n", $"\r\nAuthorization: Bearer {stub}\r\n\r\n", StringComparison.Ordinal));
            Assert.Equal(403, response.Status);
            Assert.Equal("credential_unavailable\n", response.Body);
        }
        // The session's own stub is the control: it resolves, so its grain is active.
        Assert.Equal(200, (await node.Send(Get(session.ProxyAuthorization).Replace("\r\n\r\n", $"\r\nAuthorization: Bearer {own}\r\n\r\n", StringComparison.Ordinal))).Status);

        Assert.Equal(before + 1, node.Upstream.Requests.Count);
        var active = (await node.Grains.GetGrain<IManagementGrain>(0).GetActiveGrains(GrainType.Create("grant")))
            .Select(g => g.Key.ToString()).ToHashSet();
        Assert.Contains(GrantTokens.Hash(own), active);
        Assert.DoesNotContain(random, s => active.Contains(GrantTokens.Hash(s)));
        // No durable row per attempt: neither the random stubs nor another session's stub cost a grant row.
        var prefixes = random.Append(foreign).Select(s => "sha256:" + GrantTokens.HashPrefix(GrantTokens.Hash(s))).ToList();
        Assert.DoesNotContain(await BrokerAudit.Rows(node.DataDir, node.Tenant),
            r => r.Kind == "grant.resolved" && prefixes.Any(p => r.Detail.Contains(p, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Past_the_pending_approvals_cap_a_request_gets_429_at_once_and_never_waits()
    {
        await node.Admin.Tenants.UpdateTenantAsync(new UpdateTenantRequest { Name = node.Tenant, ApprovalTimeout = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)) });
        var session = await node.NewSession(Upstream);
        var before = node.Upstream.Requests.Count;
        string Post(int i) =>
            $"POST http://{Upstream}/v1/payouts/{i} HTTP/1.1\r\nHost: {Upstream}\r\nProxy-Authorization: {session.ProxyAuthorization}\r\n"
            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\nConnection: close\r\n\r\namount=10";

        // The default cap is 5: five requests are held, each waiting on its own approval.
        var held = Enumerable.Range(0, 5).Select(i => RawHttp.SendAsync(node.ProxyPort, Post(i), TimeSpan.FromSeconds(90))).ToList();
        await Eventually.True(async () => (await PendingOf(session.Id)) == 5, "five held requests");

        var over = await RawHttp.SendAsync(node.ProxyPort, Post(5), TimeSpan.FromSeconds(15));

        Assert.Equal(429, over.Status);
        Assert.Equal(5, await PendingOf(session.Id));
        Assert.All(held, h => Assert.False(h.IsCompleted));
        await node.Admin.Sessions.KillSessionAsync(new KillSessionRequest { Id = session.Id });
        Assert.All(await Task.WhenAll(held), r => Assert.Equal(403, r.Status));
        Assert.Equal(before, node.Upstream.Requests.Count);
    }

    /// <summary>A proxy of the test's own, with tight <c>AgentCluster:Egress</c> settings (<c>Name=value</c>).</summary>
    private Task<ProxyProcess> Proxy(params string[] egress) => ProxyProcess.StartAsync(node.Silo.GatewayPort,
        [.. EgressNodeFixture.LoopbackClients, "--AgentCluster:Egress:AllowedRanges:0=127.0.0.0/8", .. egress.Select(e => "--AgentCluster:Egress:" + e)]);

    private async Task<int> PendingOf(string session)
    {
        var inbox = await node.Grains.GetGrain<AgentCluster.Grains.Approvals.IApprovalInboxGrain>(node.Tenant).List();
        var infos = await Task.WhenAll(inbox.Select(id => node.Grains.GetGrain<AgentCluster.Grains.Approvals.IApprovalGrain>(id).Get()));
        return infos.Count(a => a?.Request.Session == session);
    }

    /// <summary>The system tenant's rows of denials nobody could be named for.</summary>
    private async Task<List<(string Reason, string Detail)>> Anonymous() =>
        [.. (await BrokerAudit.Rows(node.DataDir, "system")).Where(r => r.Kind == "egress.denied").Select(r => (r.Reason, r.Detail))];

    /// <summary>An aggregated row's count; a row of its own (today's behaviour) counts one.</summary>
    private static int Count(string detail) =>
        JsonDocument.Parse(detail).RootElement.TryGetProperty("count", out var count) ? int.Parse(count.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : 1;
}
