using AgentCluster.Api.V1;
using AgentCluster.Client.Cli;
using AgentCluster.Tests.Unit.Client.Commands.Grants;
using AgentCluster.Tests.Unit.Client.Commands.Secrets;
using Grpc.Core;

namespace AgentCluster.Tests.Unit.Client.Errors;

public sealed class ApiKeyNeverPrintedTests : IDisposable
{
    private const string Key = "ak_live_7f3c9e1d5b2a4f608e1c3d5b7a9f0e2c";

    private readonly TempDirectory _dir = new();

    public static TheoryData<string[]> FailingCommands => new()
    {
        { ["cluster", "status"] },
        { ["tenants", "list"] },
        { ["tenants", "get", "acme"] },
        { ["keys", "list", "--tenant", "acme"] },
        { ["keys", "revoke", "key_0123"] },
        { ["tenants", "create", "acme", "--max-ttl", "nope"] },
        { ["audit", "tail"] },
        { ["audit", "tail", "--follow"] },
        { ["audit", "export"] },
        { ["audit", "verify"] },
        { ["audit", "verify", "--anchor", "nope"] },
        { ["audit", "head"] },
        { ["session", "create", "--image", "i", "--ttl", "10m"] },
        { ["session", "create", "--image", "i", "--ttl", "10m", "--memory", "lots"] },
        { ["session", "get", "ses_1"] },
        { ["session", "list"] },
        { ["session", "kill", "ses_1"] },
        { ["session", "extend", "ses_1", "--ttl", "5m"] },
        { ["hosts", "add", "local", "--endpoint", "unix:///var/run/docker.sock"] },
        { ["hosts", "list"] },
        { ["hosts", "drain", "local"] },
        { ["secrets", "put", "--tenant", "acme", "stripe", "--action", "read", "--host", "api.stripe.com", "--header", "Authorization", "--format", "Bearer {secret}", "--value-from-stdin"] },
        { ["secrets", "put", "--tenant", "acme", "stripe", "--action", "read", "--host", "api.stripe.com", "--format", "Bearer"] },
        { ["secrets", "list", "--tenant", "acme"] },
        { ["secrets", "rm", "--tenant", "acme", "stripe"] },
        { ["secrets", "rotate-key"] },
        { ["grant", "request", "--session", "ses_1", "--resource", "stripe", "--action", "read"] },
        { ["grant", "revoke", "--session", "ses_1"] },
        { ["bogus"] },
    };

    [Theory]
    [MemberData(nameof(FailingCommands))]
    public async Task Not_when_given_as_an_option(string[] command)
    {
        var run = await CliRun.RunAsync(Environment(), [.. command, "--api-key", Key, "--endpoint", CliRun.Unreachable]);

        AssertFailedWithoutKey(run);
    }

    [Theory]
    [MemberData(nameof(FailingCommands))]
    public async Task Not_when_taken_from_the_environment(string[] command)
    {
        var environment = Environment(new Dictionary<string, string> { [ApiKeySource.EnvironmentVariable] = Key });

        var run = await CliRun.RunAsync(environment, [.. command, "--endpoint", CliRun.Unreachable]);

        AssertFailedWithoutKey(run);
    }

    [Theory]
    [MemberData(nameof(FailingCommands))]
    public async Task Not_when_read_from_the_admin_key_file(string[] command)
    {
        _dir.WriteAdminKey(Key + "\n");

        var run = await CliRun.RunAsync(Environment(), [.. command, "--endpoint", CliRun.Unreachable]);

        AssertFailedWithoutKey(run);
    }

    [Fact]
    public async Task Not_when_the_parser_would_echo_it()
    {
        // Pasted twice: the stray copy is an unrecognized argument, which the parser quotes.
        var run = await CliRun.RunAsync(Environment(), "tenants", "list", Key, "--api-key", Key);

        AssertFailedWithoutKey(run);
        Assert.Contains("'***'", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_when_the_key_cannot_be_sent()
    {
        var run = await CliRun.RunAsync(Environment(), "tenants", "list", "--api-key", Key + "\u0001", "--endpoint", CliRun.Unreachable);

        Assert.Equal(2, run.ExitCode);
        AssertFailedWithoutKey(run);
    }

    [Fact]
    public async Task Not_when_the_server_echoes_it()
    {
        var server = new FakeGrpcServer(_ => FakeGrpcServer.Reply.Error(StatusCode.Unauthenticated, $"bad key {Key}"));
        var environment = CliRun.Environment(_dir.Path, handler: () => server);

        var run = await CliRun.RunAsync(environment, "tenants", "list", "--api-key", Key);

        Assert.Equal(3, run.ExitCode);
        Assert.Equal("agentctl: Unauthenticated: bad key *** (sent the key given with --api-key)", Assert.Single(run.StderrLines));
        AssertFailedWithoutKey(run);
    }

    [Theory]
    [InlineData("audit", "tail")]
    [InlineData("audit", "export")]
    [InlineData("audit", "verify")]
    [InlineData("audit", "head")]
    public async Task Not_in_the_output_of_a_successful_audit_read(params string[] command)
    {
        // Rows that carry key ids and token hash prefixes, as the real log does, but never the key itself.
        var rows = AuditChains.Build("acme", 3);
        var server = new FakeGrpcServer(call => call.Path == AuditChains.GetHeads ? AuditChains.Heads("acme") : AuditChains.Stream(rows));
        var environment = CliRun.Environment(_dir.Path, handler: () => server);

        var plain = await CliRun.RunAsync(environment, [.. command, "--api-key", Key]);
        var json = await CliRun.RunAsync(environment, ["--json", .. command, "--api-key", Key]);

        foreach (var run in new[] { plain, json })
        {
            Assert.Equal(0, run.ExitCode);
            Assert.NotEmpty(run.Stdout);
            Assert.DoesNotContain(Key, run.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(Key, run.Stderr, StringComparison.Ordinal);
        }

        Assert.All(server.Calls, c => Assert.Equal("Bearer " + Key, c.Authorization));
    }

    [Theory]
    [InlineData("session", "create", "--image", "i", "--ttl", "10m")]
    [InlineData("session", "get", "ses_1")]
    [InlineData("session", "list")]
    [InlineData("hosts", "list")]
    [InlineData("secrets", "list", "--tenant", "acme")]
    [InlineData("secrets", "rotate-key")]
    [InlineData("grant", "request", "--session", "ses_1", "--resource", "stripe", "--action", "read")]
    [InlineData("grant", "revoke", "--session", "ses_1")]
    public async Task Not_in_the_output_of_a_successful_session_or_host_command(params string[] command)
    {
        var server = new FakeGrpcServer(call => call.Path switch
        {
            SessionReplies.List => FakeGrpcServer.Reply.Ok(new ListSessionsResponse { Sessions = { SessionReplies.Ready() } }),
            "/agentcluster.v1.HostService/ListHosts" => FakeGrpcServer.Reply.Ok(new ListHostsResponse { Hosts = { new Host { Name = "local" } } }),
            SecretCommandsTests.List => FakeGrpcServer.Reply.Ok(new ListSecretsResponse { Secrets = { SecretCommandsTests.StripeMetadata() } }),
            SecretCommandsTests.RotateKey => FakeGrpcServer.Reply.Ok(new RotateKeyResponse { KeyId = "k2", Reencrypted = 1 }),
            GrantCommandsTests.Request => FakeGrpcServer.Reply.Ok(GrantCommandsTests.Issued()),
            GrantCommandsTests.Revoke => FakeGrpcServer.Reply.Ok(new RevokeGrantsResponse { Revoked = 1 }),
            _ => FakeGrpcServer.Reply.Ok(SessionReplies.Ready()),
        });
        var environment = CliRun.Environment(_dir.Path, handler: () => server) with { StderrIsTerminal = true };

        var plain = await CliRun.RunAsync(environment, [.. command, "--api-key", Key]);
        var json = await CliRun.RunAsync(environment, ["--json", .. command, "--api-key", Key]);

        foreach (var run in new[] { plain, json })
        {
            Assert.Equal(0, run.ExitCode);
            Assert.NotEmpty(run.Stdout);
            Assert.DoesNotContain(Key, run.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(Key, run.Stderr, StringComparison.Ordinal);
        }

        Assert.All(server.Calls, c => Assert.Equal("Bearer " + Key, c.Authorization));
    }

    public void Dispose() => _dir.Dispose();

    private static void AssertFailedWithoutKey(CliRun run)
    {
        Assert.NotEqual(0, run.ExitCode);
        Assert.Single(run.StderrLines);
        Assert.DoesNotContain(Key, run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, run.Stderr, StringComparison.Ordinal);
    }

    private CliEnvironment Environment(IReadOnlyDictionary<string, string>? variables = null) =>
        CliRun.Environment(_dir.Path, variables);
}
