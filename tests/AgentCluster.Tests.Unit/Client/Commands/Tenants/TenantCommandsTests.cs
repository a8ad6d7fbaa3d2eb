using System.Text.Json;
using AgentCluster.Api.V1;
using Google.Protobuf.WellKnownTypes;

namespace AgentCluster.Tests.Unit.Client.Commands.Tenants;

public sealed class TenantCommandsTests : IDisposable
{
    private static readonly Timestamp Created = Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Tenants_create_sends_what_was_asked()
    {
        var (run, server) = await Run(
            call => FakeGrpcServer.Reply.Ok(Echo(CreateTenantRequest.Parser.ParseFrom(call.Body))),
            "--json", "tenants", "create", "acme", "--max-sessions", "5", "--max-ttl", "30m",
            "--allow-image", "agentcluster/sandbox:*", "--allow-image", "registry.local/agent:1");

        Assert.Equal(0, run.ExitCode);
        var request = CreateTenantRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body);
        Assert.Equal(5, request.MaxSessions);
        Assert.Equal(TimeSpan.FromMinutes(30), request.MaxSessionTtl.ToTimeSpan());
        Assert.Equal(["agentcluster/sandbox:*", "registry.local/agent:1"], request.AllowedImages);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(1800, json.RootElement.GetProperty("maxSessionTtl").GetInt32());
    }

    [Fact]
    public async Task Tenants_create_leaves_defaults_to_the_server()
    {
        var (run, server) = await Run(
            call => FakeGrpcServer.Reply.Ok(Echo(CreateTenantRequest.Parser.ParseFrom(call.Body))),
            "tenants", "create", "acme");

        Assert.Equal(0, run.ExitCode);
        var request = CreateTenantRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body);
        Assert.Equal(0, request.MaxSessions);
        Assert.Null(request.MaxSessionTtl);
        Assert.Empty(request.AllowedImages);
    }

    [Fact]
    public async Task Tenants_update_sends_the_cap_on_pending_approvals_and_leaves_it_unset_when_not_given()
    {
        var (run, server) = await Run(
            _ => FakeGrpcServer.Reply.Ok(new UpdateTenantResponse { Tenant = new Tenant { Name = "acme", MaxPendingApprovals = 3, CreatedAt = Created } }),
            "--json", "tenants", "update", "acme", "--max-pending-approvals", "3");

        Assert.Equal(0, run.ExitCode);
        var request = UpdateTenantRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body);
        Assert.Equal((true, 3), (request.HasMaxPendingApprovals, request.MaxPendingApprovals));
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(3, json.RootElement.GetProperty("tenant").GetProperty("maxPendingApprovals").GetInt32());

        var (again, other) = await Run(_ => FakeGrpcServer.Reply.Ok(new UpdateTenantResponse { Tenant = new Tenant { Name = "acme" } }),
            "tenants", "update", "acme", "--approval-timeout", "60s");
        Assert.Equal(0, again.ExitCode);
        Assert.False(UpdateTenantRequest.Parser.ParseFrom(Assert.Single(other.Calls).Body).HasMaxPendingApprovals);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("-2")]
    [InlineData("many")]
    public async Task A_cap_on_pending_approvals_out_of_range_is_a_usage_error_and_nothing_is_sent(string count)
    {
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(new UpdateTenantResponse()), "tenants", "update", "acme", "--max-pending-approvals", count);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--max-pending-approvals", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(server.Calls);
    }

    [Fact]
    public async Task Tenants_create_sends_cpus_in_billionths_and_prints_them_as_cpus()
    {
        var (run, server) = await Run(
            call => FakeGrpcServer.Reply.Ok(Echo(CreateTenantRequest.Parser.ParseFrom(call.Body))),
            "--json", "tenants", "create", "acme", "--default-cpus", "0.5", "--max-cpus", "4");

        Assert.Equal(0, run.ExitCode);
        var request = CreateTenantRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body);
        Assert.Equal((500_000_000, 4_000_000_000), (request.DefaultNanoCpus, request.MaxNanoCpus));
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(0.5, json.RootElement.GetProperty("defaultCpus").GetDouble());
        Assert.Equal(4, json.RootElement.GetProperty("maxCpus").GetDouble());
    }

    [Fact]
    public async Task Tenants_update_sends_only_the_cpu_settings_given()
    {
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(new UpdateTenantResponse { Tenant = new Tenant { Name = "acme" } }),
            "tenants", "update", "acme", "--max-cpus", "8");
        Assert.Equal(0, run.ExitCode);
        var request = UpdateTenantRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body);
        Assert.Equal((true, 8_000_000_000, false), (request.HasMaxNanoCpus, request.MaxNanoCpus, request.HasDefaultNanoCpus));

        var (other, otherServer) = await Run(_ => FakeGrpcServer.Reply.Ok(new UpdateTenantResponse { Tenant = new Tenant { Name = "acme" } }),
            "tenants", "update", "acme", "--approval-timeout", "60s");
        Assert.Equal(0, other.ExitCode);
        var untouched = UpdateTenantRequest.Parser.ParseFrom(Assert.Single(otherServer.Calls).Body);
        Assert.False(untouched.HasMaxNanoCpus || untouched.HasDefaultNanoCpus);
    }

    [Fact]
    public async Task Tenants_create_with_zero_cpus_exits_2_and_sends_nothing()
    {
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(new Tenant()), "tenants", "create", "acme", "--max-cpus", "0");
        Assert.Equal(2, run.ExitCode);
        Assert.Empty(server.Calls);
        Assert.Contains("--max-cpus", run.Stderr);
    }

    public void Dispose() => _dir.Dispose();

    private static Tenant Echo(CreateTenantRequest request) => new()
    {
        Name = request.Name,
        MaxSessions = request.MaxSessions,
        MaxSessionTtl = request.MaxSessionTtl,
        AllowedImages = { request.AllowedImages },
        CreatedAt = Created,
        DefaultNanoCpus = request.DefaultNanoCpus,
        MaxNanoCpus = request.MaxNanoCpus,
    };

    private Task<(CliRun Run, FakeGrpcServer Server)> Run(Func<FakeGrpcServer.Call, FakeGrpcServer.Reply> respond, params string[] args) =>
        CliRun.AgainstAsync(_dir.Path, respond, args);
}
