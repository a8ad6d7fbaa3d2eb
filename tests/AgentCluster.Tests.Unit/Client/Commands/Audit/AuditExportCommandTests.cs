using System.Text.Json;
using AgentCluster.Api.V1;

namespace AgentCluster.Tests.Unit.Client.Commands.Audit;

public sealed class AuditExportCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Export_prints_one_json_object_per_line()
    {
        var rows = AuditChains.Build("acme", 3).Concat(AuditChains.Build("beta", 2)).ToList();
        rows[0].Detail = """{"path":"/v1/x?y=<1>","note":"ünïcode"}""";

        var (run, server) = await Run(AuditChains.Server(rows), "audit", "export", "--format", "jsonl");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        var first = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal(
            ["tenant", "seq", "time", "atMs", "actor", "kind", "subject", "outcome", "reason", "detail", "prevHash", "hash"],
            first.EnumerateObject().Select(p => p.Name));
        Assert.Equal("acme", first.GetProperty("tenant").GetString());
        Assert.Equal(1, first.GetProperty("seq").GetInt64());
        Assert.Equal("2025-01-02T03:04:06.001Z", first.GetProperty("time").GetString());
        Assert.Equal(AuditChains.StartMs + 1_001, first.GetProperty("atMs").GetInt64());
        Assert.Equal(JsonValueKind.Object, first.GetProperty("detail").ValueKind);
        Assert.Equal("/v1/x?y=<1>", first.GetProperty("detail").GetProperty("path").GetString());
        Assert.Equal("ünïcode", first.GetProperty("detail").GetProperty("note").GetString());
        Assert.Equal(AuditChains.Genesis, first.GetProperty("prevHash").GetString());
        Assert.Equal(rows[0].Hash, first.GetProperty("hash").GetString());
        Assert.Equal(["acme", "acme", "acme", "beta", "beta"], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("tenant").GetString()));
        var request = server.Request(AuditChains.Export, ExportAuditRequest.Parser);
        Assert.Null(request.Since);
        Assert.Equal(string.Empty, request.Tenant);
    }

    [Fact]
    public async Task Jsonl_is_the_default_and_json_mode_changes_nothing()
    {
        var rows = AuditChains.Build("acme", 2);

        var (plain, _) = await Run(AuditChains.Server(rows), "audit", "export");
        var (json, _) = await Run(AuditChains.Server(rows), "--json", "audit", "export");

        Assert.Equal(2, plain.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(plain.Stdout, json.Stdout);
    }

    [Fact]
    public async Task Since_and_tenant_are_sent()
    {
        var (run, server) = await Run(AuditChains.Server([]), "audit", "export", "--since", "2025-01-02T03:04:05Z", "--tenant", "acme");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stdout);
        var request = server.Request(AuditChains.Export, ExportAuditRequest.Parser);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), request.Since.ToDateTimeOffset());
        Assert.Equal("acme", request.Tenant);
    }

    [Fact]
    public async Task A_detail_that_is_not_json_is_exported_as_a_string()
    {
        var rows = AuditChains.Build("acme", 1, _ => "not json");

        var (run, _) = await Run(AuditChains.Server(rows), "audit", "export");

        var detail = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("detail");
        Assert.Equal("not json", detail.GetString());
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("json")]
    [InlineData("JSONL")]
    public async Task Any_other_format_is_a_usage_error(string format)
    {
        var (run, server) = await Run(AuditChains.Server([]), "audit", "export", "--format", format);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Single(run.StderrLines);
        Assert.Empty(server.Calls);
    }

    public void Dispose() => _dir.Dispose();

    private Task<(CliRun Run, FakeGrpcServer Server)> Run(Func<FakeGrpcServer.Call, FakeGrpcServer.Reply> respond, params string[] args) =>
        CliRun.AgainstAsync(_dir.Path, respond, args);
}
