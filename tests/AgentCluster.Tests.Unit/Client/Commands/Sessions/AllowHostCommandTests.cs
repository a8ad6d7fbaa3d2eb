using AgentCluster.Api.V1;
using Grpc.Core;

namespace AgentCluster.Tests.Unit.Client.Commands.Sessions;

public sealed class AllowHostCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Allow_sends_every_host_to_add()
    {
        var (run, server) = await Run("session", "allow", "ses_1", "--host", "api.example.com:8443", "--host", "*.pypi.org");

        Assert.Equal(0, run.ExitCode);
        var call = Assert.Single(server.Calls);
        Assert.Equal(SessionReplies.ChangeAllowHosts, call.Path);
        var request = ChangeAllowHostsRequest.Parser.ParseFrom(call.Body);
        Assert.Equal("ses_1", request.Id);
        Assert.Equal(["api.example.com:8443", "*.pypi.org"], request.Allow);
        Assert.Empty(request.Deny);
    }

    [Fact]
    public async Task Deny_sends_the_hosts_to_remove()
    {
        var (run, server) = await Run("session", "deny", "ses_1", "--host", "api.example.com");

        Assert.Equal(0, run.ExitCode);
        var request = ChangeAllowHostsRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body);
        Assert.Empty(request.Allow);
        Assert.Equal(["api.example.com"], request.Deny);
    }

    [Fact]
    public async Task A_host_the_server_refuses_exits_with_its_message()
    {
        var (run, _) = await CliRun.AgainstAsync(_dir.Path,
            _ => FakeGrpcServer.Reply.Error(StatusCode.InvalidArgument, "allow-host a:99999 is not a host name or host:port (port 99999 is not 1-65535)"),
            "session", "allow", "ses_1", "--host", "a:99999");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("port 99999 is not 1-65535", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("session", "allow", "ses_1")]
    [InlineData("session", "deny", "ses_1")]
    [InlineData("session", "allow", "--host", "a.example.com")]
    [InlineData("session", "deny", "ses_1", "--host")]
    public async Task Bad_command_lines_exit_2_before_anything_is_sent(params string[] args)
    {
        var (run, server) = await Run(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(server.Calls);
    }

    public void Dispose() => _dir.Dispose();

    private Task<(CliRun Run, FakeGrpcServer Server)> Run(params string[] args) =>
        CliRun.AgainstAsync(_dir.Path, _ => FakeGrpcServer.Reply.Ok(SessionReplies.Ready()), args);
}
