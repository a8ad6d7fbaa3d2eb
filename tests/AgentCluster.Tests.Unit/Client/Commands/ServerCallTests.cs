using AgentCluster.Api.V1;
using Grpc.Core;

namespace AgentCluster.Tests.Unit.Client.Commands;

/// <summary>What crosses the wire whatever the command: the caller's key in, a status code out.</summary>
public sealed class ServerCallTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData(StatusCode.NotFound, 5)]
    [InlineData(StatusCode.AlreadyExists, 6)]
    [InlineData(StatusCode.PermissionDenied, 4)]
    [InlineData(StatusCode.InvalidArgument, 2)]
    public async Task Server_errors_become_exit_codes_and_one_line(StatusCode status, int exitCode)
    {
        var (run, _) = await Run(_ => FakeGrpcServer.Reply.Error(status, "tenant acme: nope"), "--json", "tenants", "get", "acme");

        Assert.Equal(exitCode, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Equal($"agentctl: {status}: tenant acme: nope", Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task Without_any_key_no_authorization_header_is_sent()
    {
        var (_, server) = await Run(_ => FakeGrpcServer.Reply.Ok(new ListTenantsResponse()), "tenants", "list");

        Assert.Null(Assert.Single(server.Calls).Authorization);
    }

    public void Dispose() => _dir.Dispose();

    private Task<(CliRun Run, FakeGrpcServer Server)> Run(Func<FakeGrpcServer.Call, FakeGrpcServer.Reply> respond, params string[] args) =>
        CliRun.AgainstAsync(_dir.Path, respond, args);
}
