using System.Text.Json;
using AgentCluster.Api.V1;

namespace AgentCluster.Tests.Unit.Client.Commands.Audit;

public sealed class AuditVerifyCommandTests : IDisposable
{
    private const int Broken = 11;

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task An_intact_log_verifies_with_row_counts_per_tenant()
    {
        var rows = AuditChains.Build("tenant-a", 4000).Concat(AuditChains.Build("tenant-b", 6000));

        var (run, server) = await Run(AuditChains.Server(rows), "audit", "verify");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        Assert.Equal("ok: 10000 rows checked (tenant-a 4000, tenant-b 6000)", run.Stdout.TrimEnd());
        var request = server.Request(AuditChains.Export, ExportAuditRequest.Parser);
        Assert.Equal(string.Empty, request.Tenant);
        Assert.Null(request.Since);
    }

    [Fact]
    public async Task Json_reports_every_tenant()
    {
        var rows = AuditChains.Build("a", 3).Concat(AuditChains.Build("b", 2));

        var (run, _) = await Run(AuditChains.Server(rows), "--json", "audit", "verify");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal(["ok", "rowsChecked", "tenants"], Names(root));
        Assert.True(root.GetProperty("ok").GetBoolean());
        Assert.Equal(5, root.GetProperty("rowsChecked").GetInt64());
        var a = root.GetProperty("tenants")[0];
        Assert.Equal(["tenant", "rowsChecked", "ok", "firstBadSeq", "problem"], Names(a));
        Assert.Equal("a", a.GetProperty("tenant").GetString());
        Assert.Equal(3, a.GetProperty("rowsChecked").GetInt64());
        Assert.Equal(JsonValueKind.Null, a.GetProperty("firstBadSeq").ValueKind);
    }

    [Fact]
    public async Task An_edited_row_is_reported_at_exactly_its_seq()
    {
        var rows = AuditChains.Build("acme", 100);
        rows[41].Detail = """{"resource":"db-42","token":"000000000000"}""";

        var (run, _) = await Run(AuditChains.Server(rows), "audit", "verify", "--tenant", "acme");

        Assert.Equal(Broken, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Equal("agentctl: audit chain of tenant acme is broken at seq 42: row content does not match its hash", Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task A_broken_tenant_does_not_hide_the_others_in_json()
    {
        var edited = AuditChains.Build("acme", 10);
        edited[6].Outcome = "denied";
        var rows = AuditChains.Build("a", 5).Concat(edited).Concat(AuditChains.Build("z", 7));

        var (run, _) = await Run(AuditChains.Server(rows), "--json", "audit", "verify");

        Assert.Equal(Broken, run.ExitCode);
        Assert.Contains("tenant acme is broken at seq 7", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
        var tenants = json.RootElement.GetProperty("tenants");
        Assert.Equal([true, false, true], tenants.EnumerateArray().Select(t => t.GetProperty("ok").GetBoolean()));
        Assert.Equal(7, tenants[1].GetProperty("firstBadSeq").GetInt64());
        Assert.Equal(6, tenants[1].GetProperty("rowsChecked").GetInt64());
        Assert.Equal(7, tenants[2].GetProperty("rowsChecked").GetInt64());
    }

    [Fact]
    public async Task A_deleted_row_is_reported_at_the_missing_seq()
    {
        var rows = AuditChains.Build("acme", 20);
        rows.RemoveAt(11);

        var (run, _) = await Run(AuditChains.Server(rows), "audit", "verify", "--tenant", "acme");

        Assert.Equal(Broken, run.ExitCode);
        Assert.StartsWith("agentctl: audit chain of tenant acme is broken at seq 12: ", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_tail_is_reported_against_an_anchor_taken_before()
    {
        var rows = AuditChains.Build("acme", 100);
        var anchor = AuditChains.AnchorOf(rows[^1]);
        rows.RemoveRange(90, 10);

        var (run, server) = await Run(AuditChains.Server(rows), "audit", "verify", "--tenant", "acme", "--anchor", anchor);

        Assert.Equal(Broken, run.ExitCode);
        Assert.Equal(
            "agentctl: audit chain of tenant acme is broken at seq 100: anchor seq 100 is missing (the log ends at seq 90): rows were deleted",
            Assert.Single(run.StderrLines));
        Assert.Equal("acme", server.Request(AuditChains.Export, ExportAuditRequest.Parser).Tenant);
    }

    [Fact]
    public async Task The_same_tail_deletion_passes_without_an_anchor()
    {
        var rows = AuditChains.Build("acme", 100);
        rows.RemoveRange(90, 10);

        var (run, _) = await Run(AuditChains.Server(rows), "audit", "verify", "--tenant", "acme");

        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task A_rewritten_chain_is_reported_at_the_anchor_seq()
    {
        var original = AuditChains.Build("acme", 60);
        var anchor = AuditChains.AnchorOf(original[49]);
        var rewritten = AuditChains.Build("acme", 60);
        rewritten[9].Reason = "nothing to see here";
        AuditChains.Rechain(rewritten);

        var (run, _) = await Run(AuditChains.Server(rewritten), "audit", "verify", "--tenant", "acme", "--anchor", anchor);

        Assert.Equal(Broken, run.ExitCode);
        Assert.Equal(
            "agentctl: audit chain of tenant acme is broken at seq 50: row hash differs from the anchor (the chain was rewritten)",
            Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task A_held_anchor_verifies()
    {
        var rows = AuditChains.Build("acme", 60);

        var (run, _) = await Run(AuditChains.Server(rows), "audit", "verify", "--tenant", "acme", "--anchor", AuditChains.AnchorOf(rows[49]).ToUpperInvariant());

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("ok: 60 rows checked (acme 60); anchor seq 50 matches", run.Stdout.TrimEnd());
    }

    [Fact]
    public async Task An_anchor_without_a_tenant_uses_the_only_tenant_the_key_sees()
    {
        var rows = AuditChains.Build("acme", 5);

        var (run, server) = await Run(AuditChains.Server(rows, "acme"), "audit", "verify", "--anchor", AuditChains.AnchorOf(rows[4]));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("acme", server.Request(AuditChains.Export, ExportAuditRequest.Parser).Tenant);
    }

    [Fact]
    public async Task An_anchor_when_the_key_sees_several_tenants_needs_a_tenant()
    {
        var (run, server) = await Run(AuditChains.Server([], "a", "b", "c"), "audit", "verify", "--anchor", "5:" + new string('e', 64));

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Equal("agentctl: --anchor needs --tenant: this key sees 3 tenants (a, b, c)", Assert.Single(run.StderrLines));
        Assert.DoesNotContain(server.Calls, c => c.Path == AuditChains.Export);
    }

    [Fact]
    public async Task An_anchor_over_an_empty_log_is_a_deletion()
    {
        var (run, _) = await Run(AuditChains.Server([], "acme"), "audit", "verify", "--tenant", "acme", "--anchor", "3:" + new string('e', 64));

        Assert.Equal(Broken, run.ExitCode);
        Assert.Contains("broken at seq 3: anchor seq 3 is missing (the log ends at seq 0)", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_log_verifies()
    {
        var (run, _) = await Run(AuditChains.Server([]), "audit", "verify");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("ok: 0 rows checked", run.Stdout.TrimEnd());
    }

    [Theory]
    [InlineData("nope")]
    [InlineData("42")]
    [InlineData("0:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("-1:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("42:abc")]
    [InlineData("42:gaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("")]
    public async Task A_bad_anchor_is_a_usage_error_and_nothing_is_sent(string anchor)
    {
        var (run, server) = await Run(AuditChains.Server([]), "audit", "verify", "--tenant", "acme", $"--anchor={anchor}");

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.StartsWith("agentctl: ", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Contains("--anchor", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(server.Calls);
    }

    public void Dispose() => _dir.Dispose();

    private static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    private Task<(CliRun Run, FakeGrpcServer Server)> Run(Func<FakeGrpcServer.Call, FakeGrpcServer.Reply> respond, params string[] args) =>
        CliRun.AgainstAsync(_dir.Path, respond, args);
}
