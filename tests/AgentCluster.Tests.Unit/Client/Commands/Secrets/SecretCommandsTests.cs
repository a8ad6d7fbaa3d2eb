using System.Text;
using System.Text.Json;
using AgentCluster.Api.V1;
using AgentCluster.Client.Cli;
using AgentCluster.Client.Sdk;
using AgentCluster.Tests.Unit.Client.Commands.Sessions;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AgentCluster.Tests.Unit.Client.Commands.Secrets;

public sealed class SecretCommandsTests : IDisposable
{
    public const string Put = "/agentcluster.v1.SecretService/PutSecret";
    public const string List = "/agentcluster.v1.SecretService/ListSecrets";
    public const string Remove = "/agentcluster.v1.SecretService/RemoveSecret";
    public const string RotateKey = "/agentcluster.v1.SecretService/RotateKey";

    private static readonly Timestamp Updated = Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private readonly TempDirectory _dir = new();

    public static string[] PutStripe(params string[] more) =>
    [
        "secrets", "put", "--tenant", "acme", "stripe", "--action", "read", "--action", "write",
        "--host", "api.stripe.com", "--host", "*.stripe.com", "--header", "Authorization", "--format", "Bearer {secret}",
        "--value-from-stdin", .. more,
    ];

    public static SecretMetadata StripeMetadata() => new()
    {
        Tenant = "acme",
        Resource = "stripe",
        Actions = { "read", "write" },
        Hosts = { "api.stripe.com", "*.stripe.com" },
        Header = "Authorization",
        Format = "Bearer {secret}",
        KeyId = "k1",
        UpdatedAt = Updated,
    };

    [Fact]
    public async Task Put_sends_every_field_as_given_and_the_value_from_stdin()
    {
        var (run, server) = await RunWithStdin("sk_live_abc123\n", _ => FakeGrpcServer.Reply.Ok(StripeMetadata()), PutStripe());

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        var call = Assert.Single(server.Calls);
        Assert.Equal(Put, call.Path);
        var request = PutSecretRequest.Parser.ParseFrom(call.Body);
        Assert.Equal("acme", request.Tenant);
        Assert.Equal("stripe", request.Resource);
        Assert.Equal(["read", "write"], request.Actions);
        Assert.Equal(["api.stripe.com", "*.stripe.com"], request.Hosts);
        Assert.Equal("Authorization", request.Header);
        Assert.Equal("Bearer {secret}", request.Format);
        Assert.Equal(string.Empty, request.BasicUser);
        Assert.Equal("sk_live_abc123", request.Value);
    }

    [Fact]
    public async Task Put_sends_the_narrowed_methods_upper_cased_and_the_plain_http_opt_in()
    {
        var (run, server) = await RunWithStdin("sk_live_abc123", _ => FakeGrpcServer.Reply.Ok(StripeMetadata()),
            PutStripe("--methods", "get,POST", "--methods", "head", "--allow-plain-http"));

        Assert.Equal(0, run.ExitCode);
        var request = PutSecretRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body);
        Assert.Equal(["GET", "POST", "HEAD"], request.Methods);
        Assert.True(request.AllowPlainHttp);
    }

    [Fact]
    public async Task Put_without_the_switches_narrows_nothing_and_keeps_the_secret_to_tls()
    {
        var (_, server) = await RunWithStdin("sk_live_abc123", _ => FakeGrpcServer.Reply.Ok(StripeMetadata()), PutStripe());

        var request = PutSecretRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body);
        Assert.Empty(request.Methods);
        Assert.False(request.AllowPlainHttp);
    }

    [Fact]
    public async Task Put_with_basic_auth_sends_the_user_and_no_header()
    {
        var (run, server) = await RunWithStdin(
            "hunter2",
            _ => FakeGrpcServer.Reply.Ok(new SecretMetadata { Tenant = "acme", Resource = "jira", BasicUser = "bot", Actions = { "read" }, Hosts = { "jira.example.com" } }),
            "secrets", "put", "--tenant", "acme", "jira", "--action", "read", "--host", "jira.example.com", "--basic-user", "bot", "--value-from-stdin");

        Assert.Equal(0, run.ExitCode);
        var request = PutSecretRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body);
        Assert.Equal("bot", request.BasicUser);
        Assert.Equal(string.Empty, request.Header);
        Assert.Equal(string.Empty, request.Format);
        Assert.Equal(["read"], request.Actions);
        Assert.Equal(["jira.example.com"], request.Hosts);
        Assert.Equal("hunter2", request.Value);
    }

    [Theory]
    [InlineData("v4lue", "v4lue")]
    [InlineData("v4lue\n", "v4lue")]
    [InlineData("v4lue\n\n\n", "v4lue")]
    [InlineData("v4lue\r\n", "v4lue")]
    [InlineData("v4lue\r\n\r\n", "v4lue")]
    [InlineData("line1\nline2\n", "line1\nline2")]
    [InlineData(" spaced value \n", " spaced value ")]
    [InlineData("tab\tvalue\n", "tab\tvalue")]
    public async Task Only_trailing_newlines_of_stdin_are_dropped(string stdin, string sent)
    {
        var (run, server) = await RunWithStdin(stdin, _ => FakeGrpcServer.Reply.Ok(StripeMetadata()), PutStripe());

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(sent, PutSecretRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body).Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("\r\n\n")]
    public async Task An_empty_value_exits_2_before_anything_is_sent(string stdin)
    {
        var (run, server) = await RunWithStdin(stdin, _ => FakeGrpcServer.Reply.Ok(StripeMetadata()), PutStripe());

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.StartsWith("agentctl: the value on stdin is empty", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Empty(server.Calls);
    }

    [Fact]
    public async Task A_value_in_utf8_arrives_intact()
    {
        var server = new FakeGrpcServer(_ => FakeGrpcServer.Reply.Ok(StripeMetadata()));
        var bytes = Encoding.UTF8.GetBytes("päss→wörd\n");
        var environment = CliRun.Environment(_dir.Path, handler: () => server) with
        {
            OpenStdin = () => CliEnvironment.StrictUtf8Reader(new MemoryStream(bytes)),
        };

        var run = await CliRun.RunAsync(environment, PutStripe());

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("päss→wörd", PutSecretRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body).Value);
    }

    [Fact]
    public async Task Stdin_that_is_not_utf8_exits_2_without_quoting_its_bytes()
    {
        var server = new FakeGrpcServer(_ => FakeGrpcServer.Reply.Ok(StripeMetadata()));
        var environment = CliRun.Environment(_dir.Path, handler: () => server) with
        {
            OpenStdin = () => CliEnvironment.StrictUtf8Reader(new MemoryStream([0x73, 0x6b, 0xC3, 0x28, 0xFF, 0x0A])),
        };

        var run = await CliRun.RunAsync(environment, PutStripe());

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("agentctl: the value on stdin is not valid UTF-8", Assert.Single(run.StderrLines));
        Assert.Empty(server.Calls);
    }

    [Fact]
    public async Task Stdin_longer_than_the_limit_exits_2()
    {
        var (run, server) = await RunWithStdin(new string('x', StdinSecret.MaxLength + 1), _ => FakeGrpcServer.Reply.Ok(StripeMetadata()), PutStripe());

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"agentctl: the value on stdin is longer than {StdinSecret.MaxLength} characters", Assert.Single(run.StderrLines));
        Assert.Empty(server.Calls);
    }

    [Fact]
    public async Task A_value_of_exactly_the_limit_is_sent()
    {
        var value = new string('x', StdinSecret.MaxLength);
        var (run, server) = await RunWithStdin(value + "\n", _ => FakeGrpcServer.Reply.Ok(StripeMetadata()), PutStripe());

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(value, PutSecretRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body).Value);
    }

    [Fact]
    public async Task A_terminal_on_stdin_is_refused_without_reading_it()
    {
        var reads = 0;
        var server = new FakeGrpcServer(_ => FakeGrpcServer.Reply.Ok(StripeMetadata()));
        var environment = CliRun.Environment(_dir.Path, handler: () => server) with
        {
            StdinIsTerminal = true,
            OpenStdin = () =>
            {
                reads++;
                return new StringReader("typed");
            },
        };

        var run = await CliRun.RunAsync(environment, PutStripe());

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("agentctl: --value-from-stdin reads a pipe or a file, not a terminal", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Equal(0, reads);
        Assert.Empty(server.Calls);
    }

    [Theory]
    [InlineData("--header", "Authorization", "--format", "Bearer")]
    [InlineData("--header", "Authorization", "--format", "Bearer {SECRET}")]
    [InlineData("--header", "Authorization", "--format", "Bearer {secret")]
    public async Task A_format_without_the_placeholder_exits_2(params string[] injection)
    {
        var (run, server) = await RunWithStdin(
            "v4lue", _ => FakeGrpcServer.Reply.Ok(StripeMetadata()),
            ["secrets", "put", "--tenant", "acme", "stripe", "--action", "read", "--host", "api.stripe.com", .. injection, "--value-from-stdin"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.StartsWith("agentctl: --format must contain {secret}", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Empty(server.Calls);
    }

    [Fact]
    public async Task A_format_holding_the_value_itself_is_refused_without_quoting_it()
    {
        var (run, _) = await RunWithStdin(
            "v4lue", _ => FakeGrpcServer.Reply.Ok(StripeMetadata()),
            "secrets", "put", "--tenant", "acme", "stripe", "--action", "read", "--host", "api.stripe.com",
            "--header", "Authorization", "--format", "Bearer sk_live_pasted_by_mistake", "--value-from-stdin");

        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain("sk_live_pasted_by_mistake", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--header", "Authorization")]
    [InlineData("--format", "Bearer {secret}")]
    [InlineData("--header", "Authorization", "--format", "Bearer {secret}", "--basic-user", "bot")]
    [InlineData("--basic-user", "bot", "--header", "X-Api-Key")]
    [InlineData("--header", "", "--format", "{secret}")]
    public async Task Injection_is_a_header_with_a_format_or_a_basic_user(params string[] injection)
    {
        var (run, server) = await RunWithStdin(
            "v4lue", _ => FakeGrpcServer.Reply.Ok(StripeMetadata()),
            ["secrets", "put", "--tenant", "acme", "stripe", "--action", "read", "--host", "api.stripe.com", .. injection, "--value-from-stdin"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.StderrLines);
        Assert.Empty(server.Calls);
    }

    [Fact]
    public async Task No_injection_at_all_says_how()
    {
        var (run, _) = await RunWithStdin(
            "v4lue", _ => FakeGrpcServer.Reply.Ok(StripeMetadata()),
            "secrets", "put", "--tenant", "acme", "stripe", "--action", "read", "--host", "api.stripe.com", "--value-from-stdin");

        Assert.StartsWith(
            "agentctl: say how the secret is injected: --header NAME --format TEMPLATE, or --basic-user NAME",
            Assert.Single(run.StderrLines),
            StringComparison.Ordinal);
    }

    public static TheoryData<string[]> BadPuts => new()
    {
        { ["secrets", "put", "--tenant", "acme", "stripe", "--action", "read", "--host", "h", "--header", "A", "--format", "{secret}"] },
        { ["secrets", "put", "stripe", "--action", "read", "--host", "h", "--header", "A", "--format", "{secret}", "--value-from-stdin"] },
        { ["secrets", "put", "--tenant", "acme", "--action", "read", "--host", "h", "--header", "A", "--format", "{secret}", "--value-from-stdin"] },
        { ["secrets", "put", "--tenant", "acme", "stripe", "--host", "h", "--header", "A", "--format", "{secret}", "--value-from-stdin"] },
        { ["secrets", "put", "--tenant", "acme", "stripe", "--action", "admin", "--host", "h", "--header", "A", "--format", "{secret}", "--value-from-stdin"] },
        { ["secrets", "put", "--tenant", "acme", "stripe", "--action", "Read", "--host", "h", "--header", "A", "--format", "{secret}", "--value-from-stdin"] },
        { ["secrets", "put", "--tenant", "acme", "stripe", "--action", "read", "--header", "A", "--format", "{secret}", "--value-from-stdin"] },
        { ["secrets", "put", "--tenant", "acme", "stripe", "--action", "read", "--host", "h", "--header", "A", "--format", "{secret}", "--value", "x"] },
        { ["secrets", "put", "--tenant", "acme", "stripe", "--action", "read", "--host", "h", "--header", "A", "--format", "{secret}", "--methods", "GET;rm", "--value-from-stdin"] },
        { ["secrets", "put", "--tenant", "acme", "stripe", "--action", "read", "--host", "h", "--header", "A", "--format", "{secret}", "--methods", ",", "--value-from-stdin"] },
        { ["secrets", "list"] },
        { ["secrets", "rm", "stripe"] },
        { ["secrets", "rm", "--tenant", "acme"] },
        { ["secrets"] },
    };

    [Theory]
    [MemberData(nameof(BadPuts))]
    public async Task Bad_command_lines_exit_2_before_stdin_is_read_or_anything_is_sent(string[] args)
    {
        var reads = 0;
        var server = new FakeGrpcServer(_ => FakeGrpcServer.Reply.Ok(StripeMetadata()));
        var environment = CliRun.Environment(_dir.Path, handler: () => server) with
        {
            OpenStdin = () =>
            {
                reads++;
                return new StringReader("v4lue");
            },
        };

        var run = await CliRun.RunAsync(environment, args);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.StartsWith("agentctl: ", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Equal(0, reads);
        Assert.Empty(server.Calls);
    }

    [Fact]
    public async Task Put_prints_the_metadata_as_a_table()
    {
        var (run, _) = await RunWithStdin("sk_live_abc123", _ => FakeGrpcServer.Reply.Ok(StripeMetadata()), PutStripe());

        var lines = SessionCommandsTests.Lines(run.Stdout);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^TENANT\s+RESOURCE\s+ACTIONS\s+METHODS\s+HOSTS\s+PLAIN HTTP\s+INJECTION\s+KEY ID\s+UPDATED$", lines[0]);
        Assert.Matches(
            @"^acme\s+stripe\s+read,write\s+by action\s+api\.stripe\.com,\*\.stripe\.com\s+no\s+Authorization: Bearer \{secret\}\s+k1\s+2025-01-02 03:04:05Z$",
            lines[1]);
    }

    [Fact]
    public async Task Put_json_is_the_metadata_without_a_value()
    {
        var (run, _) = await RunWithStdin("sk_live_abc123", _ => FakeGrpcServer.Reply.Ok(StripeMetadata()), ["--json", .. PutStripe()]);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal(["tenant", "resource", "actions", "hosts", "header", "format", "basicUser", "keyId", "updatedAt", "methods", "allowPlainHttp"],
            SessionCommandsTests.Names(root));
        Assert.Equal("stripe", root.GetProperty("resource").GetString());
        Assert.Equal(["read", "write"], root.GetProperty("actions").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["api.stripe.com", "*.stripe.com"], root.GetProperty("hosts").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("Authorization", root.GetProperty("header").GetString());
        Assert.Equal("Bearer {secret}", root.GetProperty("format").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("basicUser").ValueKind);
        Assert.Equal("k1", root.GetProperty("keyId").GetString());
        Assert.Equal("2025-01-02T03:04:05Z", root.GetProperty("updatedAt").GetString());
    }

    [Fact]
    public async Task List_sends_the_tenant_and_shows_each_injection()
    {
        var basic = new SecretMetadata { Tenant = "acme", Resource = "jira", Actions = { "read" }, Hosts = { "jira.example.com" }, BasicUser = "bot", KeyId = "k2" };
        var response = new ListSecretsResponse { Secrets = { StripeMetadata(), basic } };
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(response), "secrets", "list", "--tenant", "acme");

        Assert.Equal(0, run.ExitCode);
        var call = Assert.Single(server.Calls);
        Assert.Equal(List, call.Path);
        Assert.Equal("acme", ListSecretsRequest.Parser.ParseFrom(call.Body).Tenant);
        var lines = SessionCommandsTests.Lines(run.Stdout);
        Assert.Equal(3, lines.Length);
        Assert.Contains("Authorization: Bearer {secret}", lines[1], StringComparison.Ordinal);
        Assert.Matches(@"^acme\s+jira\s+read\s+by action\s+jira\.example\.com\s+no\s+basic user bot\s+k2\s+-$", lines[2]);
    }

    [Fact]
    public async Task List_json_is_one_document_of_metadata()
    {
        var basic = new SecretMetadata { Tenant = "acme", Resource = "jira", Actions = { "read" }, Hosts = { "jira.example.com" }, BasicUser = "bot" };
        var response = new ListSecretsResponse { Secrets = { StripeMetadata(), basic } };
        var (run, _) = await Run(_ => FakeGrpcServer.Reply.Ok(response), "--json", "secrets", "list", "--tenant", "acme");

        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(["secrets"], SessionCommandsTests.Names(json.RootElement));
        var secrets = json.RootElement.GetProperty("secrets");
        Assert.Equal(2, secrets.GetArrayLength());
        Assert.Equal("bot", secrets[1].GetProperty("basicUser").GetString());
        Assert.Equal(JsonValueKind.Null, secrets[1].GetProperty("header").ValueKind);
        Assert.Equal(JsonValueKind.Null, secrets[1].GetProperty("format").ValueKind);
        Assert.Equal(JsonValueKind.Null, secrets[1].GetProperty("keyId").ValueKind);
        Assert.Equal(JsonValueKind.Null, secrets[1].GetProperty("updatedAt").ValueKind);
        Assert.All(secrets.EnumerateArray(), s => Assert.False(s.TryGetProperty("value", out _)));
    }

    [Fact]
    public async Task An_empty_list_is_a_header_or_an_empty_array()
    {
        var (plain, _) = await Run(_ => FakeGrpcServer.Reply.Ok(new ListSecretsResponse()), "secrets", "list", "--tenant", "acme");
        var (json, _) = await Run(_ => FakeGrpcServer.Reply.Ok(new ListSecretsResponse()), "--json", "secrets", "list", "--tenant", "acme");

        Assert.StartsWith("TENANT", Assert.Single(SessionCommandsTests.Lines(plain.Stdout)), StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.Equal(0, document.RootElement.GetProperty("secrets").GetArrayLength());
    }

    [Fact]
    public async Task Rm_sends_tenant_and_resource_and_says_so()
    {
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(new RemoveSecretResponse()), "secrets", "rm", "--tenant", "acme", "stripe");

        Assert.Equal(0, run.ExitCode);
        var call = Assert.Single(server.Calls);
        Assert.Equal(Remove, call.Path);
        var request = RemoveSecretRequest.Parser.ParseFrom(call.Body);
        Assert.Equal("acme", request.Tenant);
        Assert.Equal("stripe", request.Resource);
        Assert.Equal("removed secret stripe of tenant acme", run.Stdout.TrimEnd());
    }

    [Fact]
    public async Task Rm_json()
    {
        var (run, _) = await Run(_ => FakeGrpcServer.Reply.Ok(new RemoveSecretResponse()), "--json", "secrets", "rm", "--tenant", "acme", "stripe");

        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(["tenant", "resource", "removed"], SessionCommandsTests.Names(json.RootElement));
        Assert.True(json.RootElement.GetProperty("removed").GetBoolean());
    }

    [Fact]
    public async Task Rm_of_an_unknown_resource_exits_5()
    {
        var (run, _) = await Run(_ => FakeGrpcServer.Reply.Error(StatusCode.NotFound, "no secret stripe"), "secrets", "rm", "--tenant", "acme", "stripe");

        Assert.Equal(5, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Equal("agentctl: NotFound: no secret stripe", Assert.Single(run.StderrLines));
    }

    [Fact]
    public async Task Rotate_key_prints_the_active_key_and_the_count()
    {
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(new RotateKeyResponse { KeyId = "k2", Reencrypted = 12 }), "secrets", "rotate-key");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(RotateKey, Assert.Single(server.Calls).Path);
        Assert.Equal("active key k2; 12 secrets re-encrypted", run.Stdout.TrimEnd());
    }

    [Fact]
    public async Task Rotate_key_prints_the_servers_note_on_what_to_do_next()
    {
        const string Note = "nothing to re-encrypt: every secret is already under the active key k1. To rotate, first append a line";
        var (run, _) = await Run(_ => FakeGrpcServer.Reply.Ok(new RotateKeyResponse { KeyId = "k1", Reencrypted = 0, Note = Note }),
            "secrets", "rotate-key");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["active key k1; 0 secrets re-encrypted", Note], run.Stdout.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Rotate_key_of_one_secret_and_as_json()
    {
        var (plain, _) = await Run(_ => FakeGrpcServer.Reply.Ok(new RotateKeyResponse { KeyId = "k2", Reencrypted = 1 }), "secrets", "rotate-key");
        var (json, _) = await Run(_ => FakeGrpcServer.Reply.Ok(new RotateKeyResponse { KeyId = "k2", Reencrypted = 1 }), "--json", "secrets", "rotate-key");

        Assert.Equal("active key k2; 1 secret re-encrypted", plain.Stdout.TrimEnd());
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.Equal(["keyId", "reencrypted", "note"], SessionCommandsTests.Names(document.RootElement));
        Assert.Equal(1, document.RootElement.GetProperty("reencrypted").GetInt32());
    }

    [Fact]
    public async Task The_sdk_puts_every_field_and_refuses_an_empty_value_without_a_call()
    {
        var server = new FakeGrpcServer(_ => FakeGrpcServer.Reply.Ok(StripeMetadata()));
        using var connection = AgentClusterConnection.Open(new AgentClusterConnectionOptions { Endpoint = new Uri("http://127.0.0.1:5080"), HttpHandler = server });
        var secret = new NewSecret("acme", "stripe")
        {
            Actions = ["read"],
            Hosts = ["api.stripe.com"],
            Header = "Authorization",
            Format = "Bearer {secret}",
        };

        await Assert.ThrowsAsync<ArgumentException>(() => connection.Secrets.PutAsync(secret, string.Empty));
        Assert.Empty(server.Calls);

        var stored = await connection.Secrets.PutAsync(secret, "sk_live_abc123");

        var request = PutSecretRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body);
        Assert.Equal("sk_live_abc123", request.Value);
        Assert.Equal(["api.stripe.com"], request.Hosts);
        Assert.Equal("k1", stored.KeyId);
        Assert.DoesNotContain("sk_live_abc123", secret.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private Task<(CliRun Run, FakeGrpcServer Server)> Run(Func<FakeGrpcServer.Call, FakeGrpcServer.Reply> respond, params string[] args) =>
        CliRun.AgainstAsync(_dir.Path, respond, args);

    private Task<(CliRun Run, FakeGrpcServer Server)> RunWithStdin(
        string stdin, Func<FakeGrpcServer.Call, FakeGrpcServer.Reply> respond, params string[] args) =>
        CliRun.AgainstWithStdinAsync(_dir.Path, stdin, respond, args);
}
