using System.Text.Json;
using AgentCluster.Api.V1;
using Google.Protobuf;
using Grpc.Core;

namespace AgentCluster.Tests.Unit.Client.Commands.Sessions;

public sealed class ScreenshotCommandTests : IDisposable
{
    private const string Path = "/agentcluster.v1.ComputerService/Screenshot";
    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3, 4];

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task The_png_is_written_to_the_file_relative_to_the_working_directory()
    {
        var (run, server) = await Run("session", "screenshot", "ses_1", "-o", "shot.png");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Png, await File.ReadAllBytesAsync(System.IO.Path.Combine(_dir.Path, "shot.png")));
        var call = Assert.Single(server.Calls);
        Assert.Equal(Path, call.Path);
        var request = ScreenshotRequest.Parser.ParseFrom(call.Body);
        Assert.Equal(("ses_1", 0d, null), (request.Session, request.Scale, request.Region));
        Assert.Contains("1280x800 PNG", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scale_and_region_are_sent_and_json_describes_the_file()
    {
        var (run, server) = await Run("--json", "session", "screenshot", "ses_1", "--output", "part.png", "--scale", "0.5", "--region", "10,20,300x200");

        Assert.Equal(0, run.ExitCode);
        var request = ScreenshotRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body);
        Assert.Equal(0.5, request.Scale);
        Assert.Equal((10, 20, 300, 200), (request.Region.X, request.Region.Y, request.Region.Width, request.Region.Height));
        var json = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(System.IO.Path.Combine(_dir.Path, "part.png"), json.GetProperty("file").GetString());
        Assert.Equal((1280, 800, Png.Length), (json.GetProperty("width").GetInt32(), json.GetProperty("height").GetInt32(), json.GetProperty("bytes").GetInt32()));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("approvalId").ValueKind);
    }

    [Fact]
    public async Task Changed_from_sends_the_earlier_pictures_sha256_and_the_wait()
    {
        byte[] earlier = [0x89, (byte)'P', (byte)'N', (byte)'G', 9, 9];
        await File.WriteAllBytesAsync(System.IO.Path.Combine(_dir.Path, "old.png"), earlier);

        var (run, server) = await Run("session", "screenshot", "ses_1", "-o", "new.png", "--region", "600,500,1x1", "--changed-from", "old.png", "--wait-ms", "3000");
        var (fallback, defaulted) = await Run("session", "screenshot", "ses_1", "-o", "new.png", "--changed-from", "old.png");

        Assert.Equal((0, 0), (run.ExitCode, fallback.ExitCode));
        var request = ScreenshotRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body);
        Assert.Equal((Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(earlier)), 3000), (request.ChangedFrom, request.WaitMs));
        Assert.Equal((600, 500, 1, 1), (request.Region.X, request.Region.Y, request.Region.Width, request.Region.Height));
        Assert.Equal(5000, ScreenshotRequest.Parser.ParseFrom(Assert.Single(defaulted.Calls).Body).WaitMs);
        Assert.Equal(Png, await File.ReadAllBytesAsync(System.IO.Path.Combine(_dir.Path, "new.png")));
    }

    [Fact]
    public async Task An_earlier_screenshot_that_cannot_be_read_exits_2_with_a_line_and_sends_nothing()
    {
        var (run, server) = await Run("session", "screenshot", "ses_1", "-o", "new.png", "--changed-from", "missing.png");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("cannot read the earlier screenshot", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Empty(server.Calls);
    }

    [Theory]
    [InlineData("session", "screenshot", "ses_1")]
    [InlineData("session", "screenshot", "-o", "shot.png")]
    [InlineData("session", "screenshot", "ses_1", "-o", "shot.png", "--region", "10,20,300")]
    [InlineData("session", "screenshot", "ses_1", "-o", "shot.png", "--scale", "half")]
    [InlineData("session", "screenshot", "ses_1", "-o", "shot.png", "--wait-ms", "100")]
    [InlineData("session", "screenshot", "ses_1", "-o", "shot.png", "--changed-from", "old.png", "--wait-ms", "soon")]
    public async Task Bad_command_lines_exit_2_before_anything_is_sent(params string[] args)
    {
        var (run, server) = await Run(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StderrLines);
        Assert.Empty(server.Calls);
    }

    [Fact]
    public async Task A_session_without_a_desktop_exits_10_with_the_servers_reason_and_writes_nothing()
    {
        var (run, _) = await CliRun.AgainstAsync(_dir.Path,
            _ => FakeGrpcServer.Reply.Error(StatusCode.FailedPrecondition, "session ses_1 runs busybox, which is not a desktop image"),
            "session", "screenshot", "ses_1", "-o", "shot.png");

        Assert.Equal(10, run.ExitCode);
        Assert.Contains("not a desktop image", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.False(File.Exists(System.IO.Path.Combine(_dir.Path, "shot.png")));
    }

    [Fact]
    public async Task A_file_that_cannot_be_written_exits_1_with_a_line()
    {
        var (run, _) = await Run("session", "screenshot", "ses_1", "-o", "no/such/dir/shot.png");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot write the screenshot", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private Task<(CliRun Run, FakeGrpcServer Server)> Run(params string[] args) =>
        CliRun.AgainstAsync(_dir.Path, _ => FakeGrpcServer.Reply.Ok(new ScreenshotResponse
        {
            Png = ByteString.CopyFrom(Png), Width = 1280, Height = 800, Risk = "Reversible",
        }), args);
}
