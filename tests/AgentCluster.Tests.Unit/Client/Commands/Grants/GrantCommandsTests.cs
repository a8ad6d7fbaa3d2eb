using System.Text.Json;
using AgentCluster.Api.V1;
using AgentCluster.Client.Output;
using AgentCluster.Client.Sdk;
using AgentCluster.Tests.Unit.Client.Commands.Sessions;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AgentCluster.Tests.Unit.Client.Commands.Grants;

public sealed class GrantCommandsTests : IDisposable
{
    public const string Request = "/agentcluster.v1.GrantService/RequestGrant";
    public const string Revoke = "/agentcluster.v1.GrantService/RevokeGrants";

    public const string Token = "agc_q3Zk9vX2mP7rT1wY5bN8cF4hJ6dL0sA-eG_uI3oK9xQ";

    private static readonly DateTimeOffset Expires = new(2025, 1, 2, 3, 5, 5, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();

    public static Grant Issued() => new()
    {
        Token = Token,
        ExpiresAt = Timestamp.FromDateTimeOffset(Expires),
        TokenHashPrefix = "3f2a9c0b1d4e",
        Session = "ses_0123456789abcdef",
        Resource = "stripe",
        Action = "read",
    };

    [Fact]
    public async Task Request_sends_every_field_as_given()
    {
        var (run, server) = await Run(
            _ => FakeGrpcServer.Reply.Ok(Issued()),
            "grant", "request", "--session", "ses_0123456789abcdef", "--resource", "stripe", "--action", "read", "--ttl", "60s");

        Assert.Equal(0, run.ExitCode);
        var call = Assert.Single(server.Calls);
        Assert.Equal(Request, call.Path);
        var request = RequestGrantRequest.Parser.ParseFrom(call.Body);
        Assert.Equal("ses_0123456789abcdef", request.Session);
        Assert.Equal("stripe", request.Resource);
        Assert.Equal("read", request.Action);
        Assert.Equal(TimeSpan.FromSeconds(60), request.Ttl.ToTimeSpan());
    }

    [Fact]
    public async Task Request_without_a_ttl_leaves_it_to_the_session()
    {
        var (run, server) = await Run(
            _ => FakeGrpcServer.Reply.Ok(Issued()), "grant", "request", "--session", "ses_1", "--resource", "github", "--action", "write");

        Assert.Equal(0, run.ExitCode);
        var request = RequestGrantRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body);
        Assert.Equal("write", request.Action);
        Assert.Null(request.Ttl);
    }

    [Fact]
    public async Task Request_prints_the_token_once_on_its_own_last_line_after_a_warning()
    {
        var (run, _) = await Run(_ => FakeGrpcServer.Reply.Ok(Issued()), "grant", "request", "--session", "ses_1", "--resource", "stripe", "--action", "read");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        Assert.Equal(1, Occurrences(run.Stdout, Token));
        var lines = SessionCommandsTests.Lines(run.Stdout);
        Assert.Matches(@"^SESSION\s+RESOURCE\s+ACTION\s+EXPIRES\s+TOKEN HASH$", lines[0]);
        Assert.Matches(@"^ses_0123456789abcdef\s+stripe\s+read\s+2025-01-02 03:05:05Z\s+3f2a9c0b1d4e$", lines[1]);
        Assert.Contains("shown only once", lines[^2], StringComparison.Ordinal);
        Assert.Equal(Token, lines[^1]);
    }

    [Fact]
    public async Task Request_json_is_one_document_with_the_token_once()
    {
        var (run, _) = await Run(
            _ => FakeGrpcServer.Reply.Ok(Issued()), "--json", "grant", "request", "--session", "ses_1", "--resource", "stripe", "--action", "read");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        Assert.Equal(1, Occurrences(run.Stdout, Token));
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal(["token", "expiresAt", "tokenHashPrefix", "session", "resource", "action"], SessionCommandsTests.Names(root));
        Assert.Equal(Token, root.GetProperty("token").GetString());
        Assert.Equal("2025-01-02T03:05:05Z", root.GetProperty("expiresAt").GetString());
        Assert.Equal("3f2a9c0b1d4e", root.GetProperty("tokenHashPrefix").GetString());
        Assert.Equal("ses_0123456789abcdef", root.GetProperty("session").GetString());
        Assert.Equal("stripe", root.GetProperty("resource").GetString());
        Assert.Equal("read", root.GetProperty("action").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_denial_is_exactly_credential_unavailable_exit_4(bool json)
    {
        string[] args = ["grant", "request", "--session", "ses_1", "--resource", "stripe", "--action", "write"];
        var (run, _) = await Run(
            _ => FakeGrpcServer.Reply.Error(StatusCode.PermissionDenied, GrantsClient.CredentialUnavailable),
            json ? ["--json", .. args] : args);

        Assert.Equal(4, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Equal("agentctl: PermissionDenied: credential_unavailable" + Environment.NewLine, run.Stderr);
    }

    [Fact]
    public async Task The_sdk_surfaces_a_denial_as_permission_denied_with_only_credential_unavailable()
    {
        var server = new FakeGrpcServer(_ => FakeGrpcServer.Reply.Error(StatusCode.PermissionDenied, GrantsClient.CredentialUnavailable));
        using var connection = AgentClusterConnection.Open(new AgentClusterConnectionOptions
        {
            Endpoint = new Uri("http://127.0.0.1:5080"),
            HttpHandler = server,
        });

        var e = await Assert.ThrowsAsync<RpcException>(() => connection.Grants.RequestAsync("ses_1", "stripe", "read"));

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("credential_unavailable", e.Status.Detail);
    }

    [Fact]
    public void An_issued_grant_does_not_print_its_token()
    {
        var grant = new IssuedGrant(Token, Expires, "3f2a9c0b1d4e", "ses_1", "stripe", "read");

        Assert.DoesNotContain(Token, grant.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Token, IssuedGrantView.From(grant).ToString(), StringComparison.Ordinal);
        Assert.Contains("3f2a9c0b1d4e", grant.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_sends_the_session_and_the_prefix_lowercased()
    {
        var (run, server) = await Run(
            _ => FakeGrpcServer.Reply.Ok(new RevokeGrantsResponse { Revoked = 1 }),
            "grant", "revoke", "--session", "ses_1", "--token-hash", "3F2A9C0B1D4E");

        Assert.Equal(0, run.ExitCode);
        var call = Assert.Single(server.Calls);
        Assert.Equal(Revoke, call.Path);
        var request = RevokeGrantsRequest.Parser.ParseFrom(call.Body);
        Assert.Equal("ses_1", request.Session);
        Assert.Equal("3f2a9c0b1d4e", request.TokenHashPrefix);
        Assert.Equal("revoked 1 grant of session ses_1 (token hash 3f2a9c0b1d4e…)", run.Stdout.TrimEnd());
    }

    [Fact]
    public async Task Revoke_without_a_prefix_revokes_every_grant_of_the_session()
    {
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(new RevokeGrantsResponse { Revoked = 3 }), "grant", "revoke", "--session", "ses_1");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, RevokeGrantsRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body).TokenHashPrefix);
        Assert.Equal("revoked 3 grants of session ses_1", run.Stdout.TrimEnd());
    }

    [Fact]
    public async Task Revoke_json()
    {
        var (all, _) = await Run(_ => FakeGrpcServer.Reply.Ok(new RevokeGrantsResponse { Revoked = 0 }), "--json", "grant", "revoke", "--session", "ses_1");
        var (one, _) = await Run(
            _ => FakeGrpcServer.Reply.Ok(new RevokeGrantsResponse { Revoked = 1 }), "--json", "grant", "revoke", "--session", "ses_1", "--token-hash", "3f2a");

        using var allJson = JsonDocument.Parse(all.Stdout);
        Assert.Equal(["session", "tokenHashPrefix", "revoked"], SessionCommandsTests.Names(allJson.RootElement));
        Assert.Equal(JsonValueKind.Null, allJson.RootElement.GetProperty("tokenHashPrefix").ValueKind);
        Assert.Equal(0, allJson.RootElement.GetProperty("revoked").GetInt32());
        using var oneJson = JsonDocument.Parse(one.Stdout);
        Assert.Equal("3f2a", oneJson.RootElement.GetProperty("tokenHashPrefix").GetString());
        Assert.Equal(1, oneJson.RootElement.GetProperty("revoked").GetInt32());
    }

    [Fact]
    public async Task A_token_given_as_the_hash_is_refused_without_being_quoted()
    {
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(new RevokeGrantsResponse()), "grant", "revoke", "--session", "ses_1", "--token-hash", Token);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(server.Calls);
        Assert.DoesNotContain(Token, run.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("agentctl: invalid --token-hash: expected 1 to 64 hex digits", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("grant", "request", "--resource", "stripe", "--action", "read")]
    [InlineData("grant", "request", "--session", "ses_1", "--action", "read")]
    [InlineData("grant", "request", "--session", "ses_1", "--resource", "stripe")]
    [InlineData("grant", "request", "--session", "ses_1", "--resource", "stripe", "--action", "admin")]
    [InlineData("grant", "request", "--session", "ses_1", "--resource", "stripe", "--action", "READ")]
    [InlineData("grant", "request", "--session", "ses_1", "--resource", "stripe", "--action", "read", "--ttl", "0s")]
    [InlineData("grant", "request", "--session", "ses_1", "--resource", "stripe", "--action", "read", "--ttl", "soon")]
    [InlineData("grant", "revoke")]
    [InlineData("grant", "revoke", "--session", "ses_1", "--token-hash", "")]
    [InlineData("grant", "revoke", "--session", "ses_1", "--token-hash", "xyz")]
    [InlineData("grant", "revoke", "--session", "ses_1", "--token-hash", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0")]
    [InlineData("grant")]
    public async Task Bad_command_lines_exit_2_before_anything_is_sent(params string[] args)
    {
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(Issued()), args);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.StartsWith("agentctl: ", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Empty(server.Calls);
    }

    public void Dispose() => _dir.Dispose();

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private Task<(CliRun Run, FakeGrpcServer Server)> Run(Func<FakeGrpcServer.Call, FakeGrpcServer.Reply> respond, params string[] args) =>
        CliRun.AgainstAsync(_dir.Path, respond, args);
}
