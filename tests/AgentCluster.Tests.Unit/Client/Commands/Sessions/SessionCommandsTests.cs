using System.Text.Json;
using AgentCluster.Api.V1;
using Grpc.Core;

namespace AgentCluster.Tests.Unit.Client.Commands.Sessions;

public sealed class SessionCommandsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Create_sends_every_field_as_given()
    {
        var (run, server) = await Run(
            _ => FakeGrpcServer.Reply.Ok(SessionReplies.Ready()),
            "session", "create", "--tenant", "acme", "--image", "agentcluster/sandbox:local", "--ttl", "10m",
            "--memory", "2g", "--pids", "128", "--allow-host", "api.example.com:443", "--allow-host", "pypi.org",
            "--label", "zone=eu", "--label", "gpu=yes", "--idle-timeout", "2m",
            "--allow-grant", "stripe:read", "--allow-grant", "github:write", "--allow-grant", "files:delete", "--max-grant-ttl", "120s");

        Assert.Equal(0, run.ExitCode);
        var call = Assert.Single(server.Calls);
        Assert.Equal(SessionReplies.Create, call.Path);
        var request = CreateSessionRequest.Parser.ParseFrom(call.Body);
        Assert.Equal("acme", request.Tenant);
        Assert.Equal("agentcluster/sandbox:local", request.Image);
        Assert.Equal(TimeSpan.FromMinutes(10), request.Ttl.ToTimeSpan());
        Assert.Equal(2L * 1024 * 1024 * 1024, request.MemoryBytes);
        Assert.Equal(128, request.PidsLimit);
        Assert.Equal(["api.example.com:443", "pypi.org"], request.AllowHosts);
        Assert.Equal(2, request.HostLabels.Count);
        Assert.Equal("eu", request.HostLabels["zone"]);
        Assert.Equal("yes", request.HostLabels["gpu"]);
        Assert.Equal(TimeSpan.FromMinutes(2), request.IdleTimeout.ToTimeSpan());
        Assert.Equal(["stripe:read", "github:write", "files:delete"], request.AllowGrants);
        Assert.Equal(TimeSpan.FromSeconds(120), request.MaxGrantTtl.ToTimeSpan());
    }

    [Fact]
    public async Task Create_leaves_defaults_and_the_tenant_to_the_server()
    {
        var (run, server) = await Run(
            _ => FakeGrpcServer.Reply.Ok(SessionReplies.Ready()),
            "session", "create", "--image", "agentcluster/sandbox:local", "--ttl", "90s");

        Assert.Equal(0, run.ExitCode);
        var request = CreateSessionRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body);
        Assert.Equal(string.Empty, request.Tenant);
        Assert.Equal(TimeSpan.FromSeconds(90), request.Ttl.ToTimeSpan());
        Assert.Equal(0, request.MemoryBytes);
        Assert.Equal(0, request.PidsLimit);
        Assert.Empty(request.AllowHosts);
        Assert.Empty(request.HostLabels);
        Assert.Null(request.IdleTimeout);
        Assert.Empty(request.AllowGrants);
        Assert.Null(request.MaxGrantTtl);
        Assert.Equal(0, request.NanoCpus);
        Assert.False(request.HasInspectTls, "unset --inspect-tls leaves the choice to the server");
    }

    [Theory]
    [InlineData(new[] { "--inspect-tls" }, true)]
    [InlineData(new[] { "--inspect-tls", "true" }, true)]
    [InlineData(new[] { "--inspect-tls", "false" }, false)]
    public async Task Inspect_tls_is_sent_only_when_given(string[] flag, bool inspect)
    {
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(SessionReplies.Ready()),
            ["session", "create", "--image", "i", "--ttl", "10m", .. flag]);

        Assert.Equal(0, run.ExitCode);
        var request = CreateSessionRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body);
        Assert.Equal((true, inspect), (request.HasInspectTls, request.InspectTls));
    }

    [Theory]
    [InlineData("1.5", 1_500_000_000)]
    [InlineData("0.25", 250_000_000)]
    [InlineData("2", 2_000_000_000)]
    [InlineData("0.000000001", 1)]
    public async Task Create_sends_cpus_in_billionths_of_a_cpu(string cpus, long nanoCpus)
    {
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(SessionReplies.Ready()),
            "session", "create", "--image", "i", "--ttl", "10m", "--cpus", cpus);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(nanoCpus, CreateSessionRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body).NanoCpus);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1,5")]
    [InlineData("two")]
    [InlineData("0.0000000001")]
    public async Task Cpus_that_are_not_a_positive_number_exit_2_and_send_nothing(string cpus)
    {
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(SessionReplies.Ready()),
            "session", "create", "--image", "i", "--ttl", "10m", "--cpus", cpus);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(server.Calls);
        Assert.Contains($"invalid value '{cpus}' for --cpus", run.Stderr);
    }

    [Theory]
    [InlineData("--ttl", "5", "invalid duration '5' for --ttl: a number needs a unit: 5s, 5m or 5h. See 'agentctl session create --help'.")]
    [InlineData("--idle-timeout", "90", "invalid duration '90' for --idle-timeout: a number needs a unit: 90s, 90m or 90h. See 'agentctl session create --help'.")]
    public async Task A_duration_without_a_unit_is_refused_naming_the_units(string option, string value, string message)
    {
        string[] args = option == "--ttl"
            ? ["session", "create", "--image", "agentcluster/sandbox:local", "--ttl", value]
            : ["session", "create", "--image", "agentcluster/sandbox:local", "--ttl", "5m", option, value];
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(SessionReplies.Ready()), args);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(server.Calls);
        Assert.Equal("agentctl: " + message, Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task Create_json_is_one_document_with_the_session()
    {
        var (run, _) = await Run(
            _ => FakeGrpcServer.Reply.Ok(SessionReplies.Ready()),
            "--json", "session", "create", "--image", "agentcluster/sandbox:local", "--ttl", "10m");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal(
            ["id", "tenant", "state", "image", "host", "containerId", "containerIp", "createdAt", "deadline", "reason", "allowHosts", "allowGrants", "maxGrantTtl", "desktop", "inspectTls"],
            Names(root));
        Assert.Equal("ses_0123456789abcdef", root.GetProperty("id").GetString());
        Assert.Equal("Ready", root.GetProperty("state").GetString());
        Assert.Equal("docker-1", root.GetProperty("host").GetString());
        Assert.Equal(SessionReplies.ContainerId, root.GetProperty("containerId").GetString());
        Assert.Equal("172.30.0.5", root.GetProperty("containerIp").GetString());
        Assert.Equal("2025-01-02T03:04:05Z", root.GetProperty("createdAt").GetString());
        Assert.Equal("2025-01-02T03:14:05Z", root.GetProperty("deadline").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("reason").ValueKind);
        Assert.Equal(["api.example.com:443", "pypi.org"], root.GetProperty("allowHosts").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["stripe:read", "github:write"], root.GetProperty("allowGrants").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("120", root.GetProperty("maxGrantTtl").GetRawText());
        Assert.False(root.GetProperty("desktop").GetBoolean());
    }

    [Fact]
    public async Task A_session_without_a_grant_policy_shows_an_empty_list_and_a_null_ttl()
    {
        var bare = SessionReplies.Ready();
        bare.AllowGrants.Clear();
        bare.MaxGrantTtl = null;
        var (run, _) = await Run(_ => FakeGrpcServer.Reply.Ok(bare), "--json", "session", "get", "ses_0123456789abcdef");

        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(0, json.RootElement.GetProperty("allowGrants").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("maxGrantTtl").ValueKind);
    }

    [Fact]
    public async Task Create_prints_a_table_for_people()
    {
        var (run, _) = await Run(
            _ => FakeGrpcServer.Reply.Ok(SessionReplies.Ready()),
            "session", "create", "--image", "agentcluster/sandbox:local", "--ttl", "10m");

        Assert.Equal(0, run.ExitCode);
        var lines = Lines(run.Stdout);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^ID\s+TENANT\s+STATE\s+IMAGE\s+HOST\s+CONTAINER\s+IP\s+DEADLINE\s+ALLOW HOSTS\s+ALLOW GRANTS\s+MAX GRANT TTL\s+REASON$", lines[0]);
        Assert.Matches(
            @"^ses_0123456789abcdef\s+acme\s+Ready\s+agentcluster/sandbox:local\s+docker-1\s+4f1c2b3a5d6e\s+172\.30\.0\.5\s+2025-01-02 03:14:05Z\s+api\.example\.com:443,pypi\.org\s+stripe:read,github:write\s+2m\s+-$",
            lines[1]);
    }

    [Fact]
    public async Task A_failed_session_is_printed_and_exits_1_with_its_reason()
    {
        var (run, _) = await Run(
            _ => FakeGrpcServer.Reply.Ok(SessionReplies.Failed("start failed: exec format error")),
            "--json", "session", "create", "--image", "agentcluster/sandbox:local", "--ttl", "10m");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("agentctl: session ses_failed failed: start failed: exec format error", Assert.Single(run.StderrLines));
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("Failed", json.RootElement.GetProperty("state").GetString());
        Assert.Equal("start failed: exec format error", json.RootElement.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("containerId").ValueKind);
    }

    [Fact]
    public async Task A_session_that_came_back_in_another_state_is_not_a_success()
    {
        var lost = SessionReplies.Ready();
        lost.State = "Lost";
        var (run, _) = await Run(_ => FakeGrpcServer.Reply.Ok(lost), "session", "create", "--image", "i", "--ttl", "10m");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("agentctl: session ses_0123456789abcdef is Lost, not Ready", Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task No_capacity_exits_9_with_one_line_and_nothing_on_stdout()
    {
        var (run, _) = await Run(
            _ => FakeGrpcServer.Reply.Error(StatusCode.ResourceExhausted, "no healthy host with free capacity"),
            "--json", "session", "create", "--image", "agentcluster/sandbox:local", "--ttl", "10m");

        Assert.Equal(9, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Equal("agentctl: ResourceExhausted: no healthy host with free capacity", Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task Create_shows_progress_on_a_terminal_and_erases_it()
    {
        var run = await RunOnTerminal(_ => FakeGrpcServer.Reply.Ok(SessionReplies.Ready()), "session", "create", "--image", "i", "--ttl", "10m");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("agentctl: creating session …\r\u001b[K", run.Stderr);
        Assert.StartsWith("ID", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_shows_no_progress_with_json_even_on_a_terminal()
    {
        var run = await RunOnTerminal(_ => FakeGrpcServer.Reply.Ok(SessionReplies.Ready()), "--json", "session", "create", "--image", "i", "--ttl", "10m");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
    }

    [Fact]
    public async Task A_failure_on_a_terminal_replaces_the_progress_line()
    {
        var run = await RunOnTerminal(
            _ => FakeGrpcServer.Reply.Error(StatusCode.ResourceExhausted, "no capacity"), "session", "create", "--image", "i", "--ttl", "10m");

        Assert.Equal(9, run.ExitCode);
        Assert.Equal("agentctl: creating session …\r\u001b[Kagentctl: ResourceExhausted: no capacity", run.Stderr.TrimEnd());
    }

    [Fact]
    public async Task Get_asks_for_the_id_and_prints_the_session()
    {
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(SessionReplies.Ready()), "--json", "session", "get", "ses_0123456789abcdef");

        Assert.Equal(0, run.ExitCode);
        var call = Assert.Single(server.Calls);
        Assert.Equal(SessionReplies.Get, call.Path);
        Assert.Equal("ses_0123456789abcdef", GetSessionRequest.Parser.ParseFrom(call.Body).Id);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("Ready", json.RootElement.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Get_of_a_failed_session_is_a_success()
    {
        var (run, _) = await Run(_ => FakeGrpcServer.Reply.Ok(SessionReplies.Failed("image not found")), "session", "get", "ses_failed");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("image not found", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_sends_tenant_and_state_as_the_server_spells_it()
    {
        var response = new ListSessionsResponse { Sessions = { SessionReplies.Ready("ses_1"), SessionReplies.Ready("ses_2") } };
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(response), "--json", "session", "list", "--tenant", "acme", "--state", "ready");

        Assert.Equal(0, run.ExitCode);
        var request = ListSessionsRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body);
        Assert.Equal("acme", request.Tenant);
        Assert.Equal("Ready", request.State);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(["sessions"], Names(json.RootElement));
        Assert.Equal(["ses_1", "ses_2"], json.RootElement.GetProperty("sessions").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task List_without_filters_sends_none_and_prints_a_table()
    {
        var response = new ListSessionsResponse { Sessions = { SessionReplies.Ready("ses_1"), SessionReplies.Failed("boom") } };
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(response), "session", "list");

        var request = ListSessionsRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body);
        Assert.Equal(string.Empty, request.Tenant);
        Assert.Equal(string.Empty, request.State);
        var lines = Lines(run.Stdout);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("ses_1 ", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("boom", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kill_sends_the_reason()
    {
        var killed = SessionReplies.Ready();
        killed.State = "Terminated";
        killed.Reason = "runaway agent";
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(killed), "session", "kill", "ses_0123456789abcdef", "--reason", "runaway agent");

        Assert.Equal(0, run.ExitCode);
        var call = Assert.Single(server.Calls);
        Assert.Equal(SessionReplies.Kill, call.Path);
        var request = KillSessionRequest.Parser.ParseFrom(call.Body);
        Assert.Equal("ses_0123456789abcdef", request.Id);
        Assert.Equal("runaway agent", request.Reason);
        Assert.Contains("Terminated", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Extend_sends_the_ttl()
    {
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(SessionReplies.Ready()), "session", "extend", "ses_0123456789abcdef", "--ttl", "5m");

        Assert.Equal(0, run.ExitCode);
        var call = Assert.Single(server.Calls);
        Assert.Equal(SessionReplies.Extend, call.Path);
        var request = ExtendSessionRequest.Parser.ParseFrom(call.Body);
        Assert.Equal("ses_0123456789abcdef", request.Id);
        Assert.Equal(TimeSpan.FromMinutes(5), request.Ttl.ToTimeSpan());
    }

    [Fact]
    public async Task An_ended_session_cannot_be_extended_exit_10()
    {
        var (run, _) = await Run(
            _ => FakeGrpcServer.Reply.Error(StatusCode.FailedPrecondition, "session ses_1 has ended (Terminated)"),
            "session", "extend", "ses_1", "--ttl", "5m");

        Assert.Equal(10, run.ExitCode);
        Assert.Equal("agentctl: FailedPrecondition: session ses_1 has ended (Terminated)", Assert.Single(run.StderrLines));
    }

    [Theory]
    [InlineData("session", "create", "--image", "i")]
    [InlineData("session", "create", "--ttl", "10m")]
    [InlineData("session", "create", "--image", "i", "--ttl", "0s")]
    [InlineData("session", "create", "--image", "i", "--ttl", "10m", "--memory", "2x")]
    [InlineData("session", "create", "--image", "i", "--ttl", "10m", "--memory", "1.5g")]
    [InlineData("session", "create", "--image", "i", "--ttl", "10m", "--memory", "0")]
    [InlineData("session", "create", "--image", "i", "--ttl", "10m", "--memory", "-1g")]
    [InlineData("session", "create", "--image", "i", "--ttl", "10m", "--pids", "0")]
    [InlineData("session", "create", "--image", "i", "--ttl", "10m", "--label", "zone")]
    [InlineData("session", "create", "--image", "i", "--ttl", "10m", "--label", "=eu")]
    [InlineData("session", "create", "--image", "i", "--ttl", "10m", "--label", "zone=eu", "--label", "zone=us")]
    [InlineData("session", "create", "--image", "i", "--ttl", "10m", "--idle-timeout", "soon")]
    [InlineData("session", "create", "--image", "i", "--ttl", "10m", "--allow-grant", "stripe")]
    [InlineData("session", "create", "--image", "i", "--ttl", "10m", "--allow-grant", "stripe:")]
    [InlineData("session", "create", "--image", "i", "--ttl", "10m", "--allow-grant", ":read")]
    [InlineData("session", "create", "--image", "i", "--ttl", "10m", "--allow-grant", "stripe:admin")]
    [InlineData("session", "create", "--image", "i", "--ttl", "10m", "--allow-grant", "stripe:READ")]
    [InlineData("session", "create", "--image", "i", "--ttl", "10m", "--allow-grant", "stripe:read:write")]
    [InlineData("session", "create", "--image", "i", "--ttl", "10m", "--allow-grant", "stripe:read", "--allow-grant", "github:push")]
    [InlineData("session", "create", "--image", "i", "--ttl", "10m", "--max-grant-ttl", "0s")]
    [InlineData("session", "create", "--image", "i", "--ttl", "10m", "--max-grant-ttl", "soon")]
    [InlineData("session", "get")]
    [InlineData("session", "list", "--state", "running")]
    [InlineData("session", "kill")]
    [InlineData("session", "extend", "ses_1")]
    [InlineData("session", "extend", "ses_1", "--ttl", "-5m")]
    [InlineData("session")]
    public async Task Bad_command_lines_exit_2_before_anything_is_sent(params string[] args)
    {
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(SessionReplies.Ready()), args);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.StartsWith("agentctl: ", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Empty(server.Calls);
    }

    [Fact]
    public async Task A_bad_size_names_the_option_and_the_value()
    {
        var (run, _) = await Run(_ => FakeGrpcServer.Reply.Ok(SessionReplies.Ready()), "session", "create", "--image", "i", "--ttl", "10m", "--memory", "lots");

        Assert.Contains("invalid size 'lots' for --memory", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_grant_names_the_option_the_value_and_the_actions()
    {
        var (run, _) = await Run(_ => FakeGrpcServer.Reply.Ok(SessionReplies.Ready()), "session", "create", "--image", "i", "--ttl", "10m", "--allow-grant", "stripe:admin");

        Assert.Contains(
            "invalid grant 'stripe:admin' for --allow-grant: expected resource:action, the action one of read, write, delete",
            Assert.Single(run.StderrLines),
            StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    internal static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    internal static string[] Lines(string text) => text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Get_json_says_when_a_session_is_a_desktop()
    {
        var desktop = SessionReplies.Ready();
        desktop.Image = "agentcluster/desktop:local";
        desktop.Desktop = true;

        var (run, _) = await Run(_ => FakeGrpcServer.Reply.Ok(desktop), "--json", "session", "get", "ses_0123456789abcdef");

        Assert.Equal(0, run.ExitCode);
        Assert.True(JsonDocument.Parse(run.Stdout).RootElement.GetProperty("desktop").GetBoolean());
    }

    private Task<(CliRun Run, FakeGrpcServer Server)> Run(Func<FakeGrpcServer.Call, FakeGrpcServer.Reply> respond, params string[] args) =>
        CliRun.AgainstAsync(_dir.Path, respond, args);

    private Task<CliRun> RunOnTerminal(Func<FakeGrpcServer.Call, FakeGrpcServer.Reply> respond, params string[] args)
    {
        var server = new FakeGrpcServer(respond);
        var environment = CliRun.Environment(_dir.Path, handler: () => server) with { StderrIsTerminal = true };
        return CliRun.RunAsync(environment, args);
    }
}
