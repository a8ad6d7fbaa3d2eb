using System.Text.Json;
using AgentCluster.Api.V1;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Unit.Client.Commands.Keys;

public sealed class KeyCommandsTests : IDisposable
{
    private static readonly Timestamp Created = Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Keys_create_shows_the_secret_once_on_its_own_last_line()
    {
        var response = new CreateKeyResponse
        {
            Key = new ApiKey { Id = "key_0123456789abcdef", Tenant = "acme", Roles = { "orchestrator", "approver" }, CreatedAt = Created },
            Secret = "ak_brand_new_secret",
        };
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(response), "keys", "create", "--tenant", "acme", "--role", "orchestrator", "--role", "approver");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(["orchestrator", "approver"], CreateKeyRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body).Roles);
        var lines = run.Stdout.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID", lines[0], StringComparison.Ordinal);
        Assert.Contains("orchestrator,approver", lines[1], StringComparison.Ordinal);
        Assert.Contains("only once", lines[^2], StringComparison.Ordinal);
        Assert.Equal("ak_brand_new_secret", lines[^1]);
    }

    [Fact]
    public async Task Keys_list_as_json_has_no_secrets()
    {
        var response = new ListKeysResponse { Keys = { new ApiKey { Id = "key_1", Tenant = "acme", Roles = { "admin" }, CreatedAt = Created } } };
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(response), "--json", "keys", "list", "--tenant", "acme");

        Assert.Equal("acme", ListKeysRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body).Tenant);
        using var json = JsonDocument.Parse(run.Stdout);
        var key = json.RootElement.GetProperty("keys")[0];
        Assert.Equal(JsonValueKind.Null, key.GetProperty("revokedAt").ValueKind);
        Assert.False(key.TryGetProperty("secret", out _));
    }

    [Fact]
    public async Task Keys_revoke_shows_the_revoked_key()
    {
        var revoked = new ApiKey { Id = "key_1", Tenant = "acme", Roles = { "admin" }, CreatedAt = Created, RevokedAt = Created };
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(revoked), "keys", "revoke", "key_1");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("key_1", RevokeKeyRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body).Id);
        Assert.Contains("REVOKED", run.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private Task<(CliRun Run, FakeGrpcServer Server)> Run(Func<FakeGrpcServer.Call, FakeGrpcServer.Reply> respond, params string[] args) =>
        CliRun.AgainstAsync(_dir.Path, respond, args);
}
