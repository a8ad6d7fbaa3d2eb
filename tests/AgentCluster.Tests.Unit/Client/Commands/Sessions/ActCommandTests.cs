using System.Text.Json;
using AgentCluster.Api.V1;
using Grpc.Core;

namespace AgentCluster.Tests.Unit.Client.Commands.Sessions;

public sealed class ActCommandTests : IDisposable
{
    private const string Path = "/agentcluster.v1.ComputerService/Act";

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Click_sends_its_point_and_button()
    {
        var request = await Sent("session", "act", "ses_1", "click", "640", "400", "--button", "double");

        Assert.Equal(("ses_1", "click", 640, 400, "double"), (request.Session, request.Action, request.X, request.Y, request.Button));
        Assert.False(request.HasToX);
    }

    [Fact]
    public async Task Click_without_a_point_clicks_where_the_pointer_is()
    {
        var request = await Sent("session", "act", "ses_1", "click");

        Assert.Equal(("click", "left"), (request.Action, request.Button));
        Assert.False(request.HasX || request.HasY);
    }

    [Fact]
    public async Task Type_key_and_navigate_send_their_text()
    {
        Assert.Equal(("type", "Hello, World!"), Pair(await Sent("session", "act", "ses_1", "type", "Hello, World!"), r => r.Text));
        Assert.Equal(("key", "ctrl+l"), Pair(await Sent("session", "act", "ses_1", "key", "ctrl+l"), r => r.Keys));
        Assert.Equal(("navigate", "https://example.com/a?b=c"), Pair(await Sent("session", "act", "ses_1", "navigate", "https://example.com/a?b=c"), r => r.Url));
    }

    [Fact]
    public async Task Scroll_takes_negative_steps_and_move_drag_and_wait_their_numbers()
    {
        var scroll = await Sent("session", "act", "ses_1", "scroll", "640", "400", "0", "-3");
        Assert.Equal((640, 400, 0, -3), (scroll.X, scroll.Y, scroll.ScrollX, scroll.ScrollY));
        var move = await Sent("session", "act", "ses_1", "move", "10", "20");
        Assert.Equal(("mouse_move", 10, 20), (move.Action, move.X, move.Y));
        var drag = await Sent("session", "act", "ses_1", "drag", "1", "2", "3", "4");
        Assert.Equal(("drag", 1, 2, 3, 4), (drag.Action, drag.X, drag.Y, drag.ToX, drag.ToY));
        var wait = await Sent("session", "act", "ses_1", "wait", "250");
        Assert.Equal(("wait", 250), (wait.Action, wait.Milliseconds));
        Assert.Equal("cursor_position", (await Sent("session", "act", "ses_1", "cursor")).Action);
    }

    [Fact]
    public async Task The_result_names_the_cursor_and_in_json_the_approval()
    {
        var (run, _) = await CliRun.AgainstAsync(_dir.Path,
            _ => FakeGrpcServer.Reply.Ok(new ActResponse { Action = "click", CursorX = 640, CursorY = 400, Risk = "Irreversible", ApprovalId = "apr_1" }),
            "--json", "session", "act", "ses_1", "click", "640", "400");

        Assert.Equal(0, run.ExitCode);
        var json = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(("click", 640, 400, "Irreversible", "apr_1"), (json.GetProperty("action").GetString(), json.GetProperty("cursorX").GetInt32(),
            json.GetProperty("cursorY").GetInt32(), json.GetProperty("risk").GetString(), json.GetProperty("approvalId").GetString()));
    }

    [Theory]
    [InlineData("session", "act", "ses_1")]
    [InlineData("session", "act", "ses_1", "format_disk")]
    [InlineData("session", "act", "ses_1", "click", "640")]
    [InlineData("session", "act", "ses_1", "click", "640", "four hundred")]
    [InlineData("session", "act", "ses_1", "move", "1", "2", "3")]
    [InlineData("session", "act", "ses_1", "type")]
    [InlineData("session", "act", "ses_1", "type", "a", "b")]
    [InlineData("session", "act", "ses_1", "key", "ctrl+l", "--button", "right")]
    [InlineData("session", "act", "ses_1", "cursor", "1")]
    [InlineData("session", "act", "ses_1", "wait", "1s")]
    public async Task Bad_command_lines_exit_2_with_one_line_before_anything_is_sent(params string[] args)
    {
        var (run, server) = await Run(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StderrLines);
        Assert.Empty(server.Calls);
    }

    [Fact]
    public async Task A_denied_approval_exits_4_with_its_id()
    {
        var (run, _) = await CliRun.AgainstAsync(_dir.Path,
            _ => FakeGrpcServer.Reply.Error(StatusCode.PermissionDenied, "approval apr_0123 was denied"),
            "session", "act", "ses_1", "click", "640", "400");

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("apr_0123 was denied", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Typed_text_is_never_echoed_in_the_error_line()
    {
        var (run, _) = await CliRun.AgainstAsync(_dir.Path,
            _ => FakeGrpcServer.Reply.Error(StatusCode.InvalidArgument, "cannot type 'hunter2-secret'"),
            "session", "act", "ses_1", "type", "hunter2-secret");

        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain("hunter2-secret", run.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private static (string, string) Pair(ActRequest request, Func<ActRequest, string> value) => (request.Action, value(request));

    private async Task<ActRequest> Sent(params string[] args)
    {
        var (run, server) = await Run(args);
        Assert.True(run.ExitCode == 0, run.Stderr);
        var call = Assert.Single(server.Calls);
        Assert.Equal(Path, call.Path);
        return ActRequest.Parser.ParseFrom(call.Body);
    }

    private Task<(CliRun Run, FakeGrpcServer Server)> Run(params string[] args) =>
        CliRun.AgainstAsync(_dir.Path, _ => FakeGrpcServer.Reply.Ok(new ActResponse { Action = "click", Risk = "Reversible" }), args);
}
