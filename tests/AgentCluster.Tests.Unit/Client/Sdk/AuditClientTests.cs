using AgentCluster.Api.V1;
using AgentCluster.Audit;
using AgentCluster.Client.Sdk;

namespace AgentCluster.Tests.Unit.Client.Sdk;

/// <summary>The SDK on its own, as tests and tools use it without the CLI.</summary>
public sealed class AuditClientTests
{
    [Fact]
    public async Task Verify_returns_a_result_per_tenant()
    {
        var edited = AuditChains.Build("b", 8);
        edited[4].Kind = "grant.denied";
        using var connection = Connect(AuditChains.Server(AuditChains.Build("a", 5).Concat(edited)), out _);

        var report = await connection.Audit.VerifyAsync();

        Assert.False(report.Ok);
        Assert.Equal(9, report.RowsChecked);
        Assert.Equal(
            [new AuditTenantVerification("a", 5, true, null, null), new AuditTenantVerification("b", 4, false, 5, "row content does not match its hash")],
            report.Tenants);
    }

    [Fact]
    public async Task Verify_with_an_anchor_checks_the_one_tenant_in_scope()
    {
        var rows = AuditChains.Build("acme", 12);
        using var connection = Connect(AuditChains.Server(rows, "acme"), out var server);

        var report = await connection.Audit.VerifyAsync(anchor: AuditChains.AnchorOf(rows[11]));

        Assert.True(report.Ok);
        Assert.Equal(AuditChains.AnchorOf(rows[11]), report.Anchor);
        Assert.Equal("acme", server.Request(AuditChains.Export, ExportAuditRequest.Parser).Tenant);
    }

    [Fact]
    public async Task Verify_refuses_an_anchor_it_cannot_place()
    {
        using var connection = Connect(AuditChains.Server([], "a", "b"), out var server);

        var scope = await Assert.ThrowsAsync<AuditAnchorScopeException>(() => connection.Audit.VerifyAsync(anchor: "1:" + new string('f', 64)));
        await Assert.ThrowsAsync<ArgumentException>(() => connection.Audit.VerifyAsync("a", "1:xyz"));

        Assert.Equal(["a", "b"], scope.Tenants);
        Assert.DoesNotContain(server.Calls, c => c.Path == AuditChains.Export);
    }

    [Fact]
    public async Task Export_tail_and_heads_map_every_field()
    {
        var rows = AuditChains.Build("acme", 2);
        using var connection = Connect(
            call => call.Path == AuditChains.GetHeads ? AuditChains.Heads("acme") : AuditChains.Stream(rows),
            out _);

        var exported = await connection.Audit.ExportAsync("acme").ToListAsync();
        var tailed = await connection.Audit.TailAsync(new AuditTailQuery { Kind = "session.*" }).ToListAsync();
        var heads = await connection.Audit.GetHeadsAsync();

        var first = exported[0];
        Assert.Equal(
            (rows[0].Tenant, rows[0].Seq, rows[0].AtMs, rows[0].Actor, rows[0].Kind, rows[0].Subject, rows[0].Outcome, rows[0].Reason, rows[0].Detail, rows[0].PrevHash, rows[0].Hash),
            (first.Tenant, first.Seq, first.AtMs, first.Actor, first.Kind, first.Subject, first.Outcome, first.Reason, first.Detail, first.PrevHash, first.Hash));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(rows[0].AtMs), first.At);
        Assert.Equal(exported, tailed);
        Assert.Equal("10:" + new string('a', 64), Assert.Single(heads).Anchor);
    }

    private static AgentClusterConnection Connect(Func<FakeGrpcServer.Call, FakeGrpcServer.Reply> respond, out FakeGrpcServer server)
    {
        server = new FakeGrpcServer(respond);
        return AgentClusterConnection.Open(new AgentClusterConnectionOptions
        {
            Endpoint = new Uri("http://127.0.0.1:5080"),
            ApiKey = "ak_test",
            HttpHandler = server,
        });
    }
}
