using AgentCluster.Api.V1;
using Grpc.Core;

namespace AgentCluster.Tests.Unit.Client.Commands.Secrets;

/// <summary>The value of <c>secrets put</c> reaches the server and nothing else: not stdout, not stderr, whatever happens.</summary>
public sealed class SecretValueNeverPrintedTests : IDisposable
{
    private const string Value = "sk_live_51HqZ9vKf3c9e1d5b2a4f608e1c3d5b7a9f0e2c";

    private readonly TempDirectory _dir = new();

    public static TheoryData<string> Values => new()
    {
        Value,
        "pass word  with   runs of spaces",
        "tab\tseparated\tvalue",
        "multi\nline\nvalue",
        "spaced at the ends  ",
    };

    [Theory]
    [MemberData(nameof(Values))]
    public async Task Not_on_success(string value)
    {
        var plain = await PutAsync(value, _ => FakeGrpcServer.Reply.Ok(SecretCommandsTests.StripeMetadata()));
        var json = await PutAsync(value, _ => FakeGrpcServer.Reply.Ok(SecretCommandsTests.StripeMetadata()), "--json");

        foreach (var (run, server) in new[] { plain, json })
        {
            Assert.Equal(0, run.ExitCode);
            Assert.NotEmpty(run.Stdout);
            Assert.Equal(value, PutSecretRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body).Value);
            AssertNowhere(value, run);
        }
    }

    [Theory]
    [MemberData(nameof(Values))]
    public async Task Not_when_the_server_echoes_it_in_its_detail(string value)
    {
        var (run, _) = await PutAsync(value, _ => FakeGrpcServer.Reply.Error(StatusCode.InvalidArgument, $"value '{value}' is not accepted"));

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Equal("agentctl: InvalidArgument: value '***' is not accepted", Assert.Single(run.StderrLines));
        AssertNowhere(value, run);
    }

    [Theory]
    [InlineData(StatusCode.PermissionDenied, 4)]
    [InlineData(StatusCode.Internal, 1)]
    [InlineData(StatusCode.AlreadyExists, 6)]
    [InlineData(StatusCode.Unavailable, 7)]
    public async Task Not_in_any_refusal(StatusCode status, int exitCode)
    {
        var (run, _) = await PutAsync(Value, _ => FakeGrpcServer.Reply.Error(status, $"refused: {Value}; value={Value}"));

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Equal($"agentctl: {status}: refused: ***; value=***", Assert.Single(run.StderrLines));
        AssertNowhere(Value, run);
    }

    [Fact]
    public async Task Not_when_the_server_is_unreachable()
    {
        var run = await CliRun.RunAsync(
            CliRun.Environment(_dir.Path, stdin: Value + "\n"),
            [.. SecretCommandsTests.PutStripe(), "--endpoint", CliRun.Unreachable]);

        Assert.Equal(7, run.ExitCode);
        AssertNowhere(Value, run);
    }

    [Fact]
    public async Task Not_when_pasted_onto_the_command_line_by_mistake()
    {
        var stray = await CliRun.RunAsync(CliRun.Environment(_dir.Path), [.. SecretCommandsTests.PutStripe(), Value]);
        var asOption = await CliRun.RunAsync(CliRun.Environment(_dir.Path), [.. SecretCommandsTests.PutStripe(), "--value", Value]);

        foreach (var run in new[] { stray, asOption })
        {
            Assert.Equal(2, run.ExitCode);
            Assert.Contains("'***'", Assert.Single(run.StderrLines), StringComparison.Ordinal);
            AssertNowhere(Value, run);
        }
    }

    [Fact]
    public async Task Not_when_given_to_value_from_stdin()
    {
        var run = await CliRun.RunAsync(
            CliRun.Environment(_dir.Path),
            "secrets", "put", "--tenant", "acme", "stripe", "--action", "read", "--host", "h", "--header", "A", "--format", "{secret}",
            "--value-from-stdin", Value);

        Assert.Equal(2, run.ExitCode);
        AssertNowhere(Value, run);
    }

    public void Dispose() => _dir.Dispose();

    private static void AssertNowhere(string value, CliRun run)
    {
        Assert.DoesNotContain(value, run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(value, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(value.Trim(), run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(value.Trim(), run.Stderr, StringComparison.Ordinal);
    }

    private async Task<(CliRun Run, FakeGrpcServer Server)> PutAsync(
        string value, Func<FakeGrpcServer.Call, FakeGrpcServer.Reply> respond, params string[] before) =>
        await CliRun.AgainstWithStdinAsync(_dir.Path, value + "\n", respond, [.. before, .. SecretCommandsTests.PutStripe()]);
}
