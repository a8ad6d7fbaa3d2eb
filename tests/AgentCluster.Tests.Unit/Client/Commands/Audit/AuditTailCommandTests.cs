using System.Text.Json;
using AgentCluster.Api.V1;
using AgentCluster.Client.Cli;

namespace AgentCluster.Tests.Unit.Client.Commands.Audit;

public sealed class AuditTailCommandTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Tail_is_a_table_oldest_first()
    {
        var rows = AuditChains.Build("acme", 3);

        var (run, _) = await Run(_ => AuditChains.Stream(rows), "audit", "tail");

        Assert.Equal(0, run.ExitCode);
        var lines = Lines(run.Stdout);
        Assert.Equal(["SEQ", "TIME", "TENANT", "ACTOR", "KIND", "SUBJECT", "OUTCOME", "REASON"], Words(lines[0]));
        Assert.Equal(4, lines.Length);
        Assert.Equal(
            ["1", "2025-01-02T03:04:06.001Z", "acme", "key_0123456789abcdef", "session.created", "ses_1", "success", "-"],
            Words(lines[1]));
        Assert.Equal(["3", "2025-01-02T03:04:08.003Z", "acme", "key_0123456789abcdef", "session.created", "ses_3", "success", "policy", "allows"], Words(lines[3]));
    }

    [Fact]
    public async Task Filters_are_sent_to_the_server()
    {
        var before = DateTimeOffset.UtcNow;

        var (run, server) = await Run(
            _ => AuditChains.Stream([]),
            "audit", "tail", "--kind", "grant.*", "--session", "ses_1", "--since", "10m", "--tenant", "acme", "--limit", "50");

        Assert.Equal(0, run.ExitCode);
        var request = server.Request(AuditChains.Tail, TailAuditRequest.Parser);
        Assert.Equal(("grant.*", "ses_1", "acme", 50, false), (request.Kind, request.Session, request.Tenant, request.Limit, request.Follow));
        var since = request.Since.ToDateTimeOffset();
        Assert.InRange(since, before.AddMinutes(-10).AddSeconds(-1), DateTimeOffset.UtcNow.AddMinutes(-10).AddSeconds(1));
    }

    [Fact]
    public async Task Unset_filters_are_left_to_the_server()
    {
        var (_, server) = await Run(_ => AuditChains.Stream([]), "audit", "tail");

        var request = server.Request(AuditChains.Tail, TailAuditRequest.Parser);
        Assert.Equal((string.Empty, string.Empty, string.Empty, 0), (request.Kind, request.Session, request.Tenant, request.Limit));
        Assert.Null(request.Since);
    }

    [Fact]
    public async Task Json_is_one_document_of_records()
    {
        var rows = AuditChains.Build("acme", 2);

        var (run, _) = await Run(_ => AuditChains.Stream(rows), "--json", "audit", "tail");

        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(["records"], json.RootElement.EnumerateObject().Select(p => p.Name));
        var records = json.RootElement.GetProperty("records");
        Assert.Equal(2, records.GetArrayLength());
        Assert.Equal("db-2", records[1].GetProperty("detail").GetProperty("resource").GetString());
    }

    [Theory]
    [InlineData("--since", "soon")]
    [InlineData("--since", "1h30")]
    [InlineData("--limit", "0")]
    public async Task Bad_values_are_usage_errors(string option, string value)
    {
        var (run, server) = await Run(_ => AuditChains.Stream([]), "audit", "tail", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(option, Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Empty(server.Calls);
    }

    [Fact]
    public async Task Follow_with_json_prints_lines_until_ctrl_c_and_exits_0()
    {
        var rows = AuditChains.Build("acme", 3);

        var (exitCode, stdout, stderr, server) = await FollowAsync(rows, 3, "--json", "audit", "tail", "--follow");

        Assert.Equal(0, exitCode);
        Assert.Empty(stderr);
        var lines = Lines(stdout);
        Assert.Equal(3, lines.Length);
        Assert.Equal([1L, 2L, 3L], lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("seq").GetInt64()));
        Assert.True(server.Request(AuditChains.Tail, TailAuditRequest.Parser).Follow);
    }

    [Fact]
    public async Task Follow_for_people_prints_the_header_then_each_row()
    {
        var rows = AuditChains.Build("acme", 2);

        var (exitCode, stdout, stderr, _) = await FollowAsync(rows, 3, "audit", "tail", "-f");

        Assert.Equal(0, exitCode);
        Assert.Empty(stderr);
        var lines = Lines(stdout);
        Assert.Equal("SEQ", Words(lines[0])[0]);
        Assert.Equal(["2", "2025-01-02T03:04:07.002Z", "acme"], Words(lines[2])[..3]);
    }

    [Fact]
    public async Task A_follow_the_server_ends_exits_0()
    {
        var (run, _) = await Run(_ => AuditChains.Stream(AuditChains.Build("acme", 1)), "audit", "tail", "--follow");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, Lines(run.Stdout).Length);
    }

    public void Dispose() => _dir.Dispose();

    private static string[] Lines(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r'))];

    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Runs a follow against a stream that stays open, and presses Ctrl+C once <paramref name="lines"/> lines are out.</summary>
    private async Task<(int ExitCode, string Stdout, string Stderr, FakeGrpcServer Server)> FollowAsync(
        List<AuditRecord> rows, int lines, params string[] args)
    {
        var server = new FakeGrpcServer(_ => AuditChains.Stream(rows) with { HoldOpen = true });
        using var stdout = new LineSignallingWriter(lines);
        using var stderr = new StringWriter();
        using var ctrlC = new CancellationTokenSource();
        var environment = CliRun.Environment(_dir.Path, handler: () => server);

        var run = AgentCtl.RunAsync(args, stdout, stderr, environment, ctrlC.Token);
        await stdout.Reached.WaitAsync(Patience);
        Assert.False(run.IsCompleted);
        await ctrlC.CancelAsync();
        var exitCode = await run.WaitAsync(Patience);

        return (exitCode, stdout.ToString(), stderr.ToString(), server);
    }

    private Task<(CliRun Run, FakeGrpcServer Server)> Run(Func<FakeGrpcServer.Call, FakeGrpcServer.Reply> respond, params string[] args) =>
        CliRun.AgainstAsync(_dir.Path, respond, args);
}
