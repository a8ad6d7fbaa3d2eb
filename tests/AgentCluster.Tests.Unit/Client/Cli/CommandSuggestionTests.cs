using AgentCluster.Api.V1;
using AgentCluster.Client.Cli;

namespace AgentCluster.Tests.Unit.Client.Cli;

/// <summary>A mistyped command is answered with the nearest one; every plural noun takes its singular.</summary>
public sealed class CommandSuggestionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData("sesion list", "unknown command 'sesion': did you mean `agentctl session list`? See 'agentctl --help'.")]
    [InlineData("session lst", "unknown command 'lst': did you mean `agentctl session list`? See 'agentctl session --help'.")]
    [InlineData("aprovals lsit", "unknown command 'aprovals': did you mean `agentctl approvals list`? See 'agentctl --help'.")]
    [InlineData("tenat get acme", "unknown command 'tenat': did you mean `agentctl tenant get`? See 'agentctl --help'.")]
    [InlineData("hsots", "unknown command 'hsots': did you mean `agentctl hosts`? See 'agentctl --help'.")]
    [InlineData("secrets rotate", "unknown command 'rotate': did you mean `agentctl secrets rotate-key`? See 'agentctl secrets --help'.")]
    public async Task A_mistyped_command_gets_the_nearest_one(string line, string message)
    {
        var run = await CliRun.RunAsync(CliRun.Environment(_dir.Path), line.Split(' '));

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Equal("agentctl: " + message, Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task Nothing_near_gets_no_guess()
    {
        var run = await CliRun.RunAsync(CliRun.Environment(_dir.Path), "frobnicate");

        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain("did you mean", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tenant", "/agentcluster.v1.TenantService/ListTenants")]
    [InlineData("key", "/agentcluster.v1.KeyService/ListKeys")]
    [InlineData("host", "/agentcluster.v1.HostService/ListHosts")]
    [InlineData("secret", "/agentcluster.v1.SecretService/ListSecrets")]
    [InlineData("approval", "/agentcluster.v1.ApprovalService/ListApprovals")]
    [InlineData("session", "/agentcluster.v1.SessionService/ListSessions")]
    public async Task Every_plural_noun_takes_its_singular(string noun, string path)
    {
        var (run, server) = await CliRun.AgainstAsync(
            _dir.Path, call => FakeGrpcServer.Reply.Ok(EmptyAnswer(call.Path)), noun is "key" or "secret" ? [noun, "list", "--tenant", "acme"] : [noun, "list"]);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(path, Assert.Single(server.Calls).Path);
    }

    [Theory]
    [InlineData("list", "lsit", 1)]
    [InlineData("session", "sesion", 1)]
    [InlineData("tenants", "tenat", 2)]
    [InlineData("hosts", "hsots", 1)]
    public void Distance_counts_a_swap_of_neighbours_as_one_edit(string a, string b, int expected) =>
        Assert.Equal(expected, CommandSuggestion.Distance(a, b));

    public void Dispose() => _dir.Dispose();

    private static Google.Protobuf.IMessage EmptyAnswer(string path) => path switch
    {
        _ when path.EndsWith("ListTenants", StringComparison.Ordinal) => new ListTenantsResponse(),
        _ when path.EndsWith("ListKeys", StringComparison.Ordinal) => new ListKeysResponse(),
        _ when path.EndsWith("ListHosts", StringComparison.Ordinal) => new ListHostsResponse(),
        _ when path.EndsWith("ListSecrets", StringComparison.Ordinal) => new ListSecretsResponse(),
        _ when path.EndsWith("ListApprovals", StringComparison.Ordinal) => new ListApprovalsResponse { CanDecide = true },
        _ => new ListSessionsResponse(),
    };
}
