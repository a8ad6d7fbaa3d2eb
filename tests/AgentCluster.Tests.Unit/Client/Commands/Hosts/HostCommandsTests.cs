using System.Text.Json;
using AgentCluster.Api.V1;
using AgentCluster.Tests.Unit.Client.Commands.Sessions;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AgentCluster.Tests.Unit.Client.Commands.Hosts;

public sealed class HostCommandsTests : IDisposable
{
    private const string Add = "/agentcluster.v1.HostService/AddHost";
    private const string Drain = "/agentcluster.v1.HostService/DrainHost";
    private const string Remove = "/agentcluster.v1.HostService/RemoveHost";

    private static readonly Timestamp Checked = Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Add_sends_the_docker_endpoint_and_not_the_api_address()
    {
        var (run, server) = await Run(
            call => FakeGrpcServer.Reply.Ok(Echo(AddHostRequest.Parser.ParseFrom(call.Body))),
            "hosts", "add", "docker-2", "--endpoint", "tcp://10.0.0.2:2376", "--tls-dir", "/etc/agentcluster/docker-2",
            "--capacity", "50", "--label", "zone=eu", "--label", "gpu=yes");

        Assert.Equal(0, run.ExitCode);
        var call = Assert.Single(server.Calls);
        Assert.Equal(Add, call.Path);
        var request = AddHostRequest.Parser.ParseFrom(call.Body);
        Assert.Equal("docker-2", request.Name);
        Assert.Equal("tcp://10.0.0.2:2376", request.Endpoint);
        Assert.Equal("/etc/agentcluster/docker-2", request.TlsDir);
        Assert.Equal(50, request.Capacity);
        Assert.Equal("eu", request.Labels["zone"]);
        Assert.Equal("yes", request.Labels["gpu"]);
        Assert.Equal(2, request.Labels.Count);
    }

    [Fact]
    public async Task Add_with_the_api_address_before_hosts_uses_both()
    {
        var server = new FakeGrpcServer(call => FakeGrpcServer.Reply.Ok(Echo(AddHostRequest.Parser.ParseFrom(call.Body))));
        var environment = CliRun.Environment(_dir.Path, handler: () => server);

        // The in-memory handler ignores the address; an invalid API address would fail before any call.
        var run = await CliRun.RunAsync(
            environment, "--endpoint", "http://silo.internal:5080", "hosts", "add", "local", "--endpoint", "unix:///var/run/docker.sock");

        Assert.Equal(0, run.ExitCode);
        var request = AddHostRequest.Parser.ParseFrom(Assert.Single(server.Calls).Body);
        Assert.Equal("unix:///var/run/docker.sock", request.Endpoint);
        Assert.Equal(string.Empty, request.TlsDir);
        Assert.Equal(0, request.Capacity);
        Assert.Empty(request.Labels);
    }

    [Fact]
    public async Task A_bad_api_address_before_hosts_is_still_checked()
    {
        var (run, server) = await Run(
            _ => FakeGrpcServer.Reply.Ok(new Host()),
            "--endpoint", "ftp://x", "hosts", "add", "local", "--endpoint", "unix:///var/run/docker.sock");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("invalid endpoint 'ftp://x'", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Empty(server.Calls);
    }

    [Fact]
    public async Task An_unreachable_api_names_the_api_address_not_the_docker_one()
    {
        var run = await CliRun.RunAsync(
            CliRun.Environment(_dir.Path), "--endpoint", CliRun.Unreachable, "hosts", "add", "local", "--endpoint", "unix:///var/run/docker.sock");

        Assert.Equal(7, run.ExitCode);
        Assert.StartsWith($"agentctl: cannot reach {CliRun.Unreachable} (", Assert.Single(run.StderrLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_prints_a_table()
    {
        var (run, _) = await Run(_ => FakeGrpcServer.Reply.Ok(TwoHosts()), "hosts", "list");

        Assert.Equal(0, run.ExitCode);
        var lines = SessionCommandsTests.Lines(run.Stdout);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^NAME\s+HEALTH\s+CAPACITY\s+RUNNING\s+DRAINING\s+ENDPOINT\s+LABELS\s+LAST ERROR$", lines[0]);
        Assert.Matches(@"^docker-1\s+Healthy\s+200\s+3\s+no\s+unix:///var/run/docker\.sock\s+gpu=yes,zone=eu\s+-$", lines[1]);
        Assert.Matches(@"^docker-2\s+Unhealthy\s+50\s+0\s+yes\s+tcp://10\.0\.0\.2:2376\s+-\s+ping failed: connection refused$", lines[2]);
    }

    [Fact]
    public async Task List_json_is_one_document()
    {
        var (run, _) = await Run(_ => FakeGrpcServer.Reply.Ok(TwoHosts()), "--json", "hosts", "list");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(["hosts"], SessionCommandsTests.Names(json.RootElement));
        var first = json.RootElement.GetProperty("hosts")[0];
        Assert.Equal(
            ["name", "health", "capacity", "running", "draining", "endpoint", "labels", "lastCheckAt", "lastError"],
            SessionCommandsTests.Names(first));
        Assert.Equal("Healthy", first.GetProperty("health").GetString());
        Assert.Equal(200, first.GetProperty("capacity").GetInt32());
        Assert.Equal(3, first.GetProperty("running").GetInt32());
        Assert.False(first.GetProperty("draining").GetBoolean());
        Assert.Equal(["gpu", "zone"], SessionCommandsTests.Names(first.GetProperty("labels")));
        Assert.Equal("eu", first.GetProperty("labels").GetProperty("zone").GetString());
        Assert.Equal("2025-01-02T03:04:05Z", first.GetProperty("lastCheckAt").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("lastError").ValueKind);
        var second = json.RootElement.GetProperty("hosts")[1];
        Assert.True(second.GetProperty("draining").GetBoolean());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("lastCheckAt").ValueKind);
    }

    [Fact]
    public async Task Drain_names_the_host()
    {
        var drained = TwoHosts().Hosts[0];
        drained.Draining = true;
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(drained), "hosts", "drain", "docker-1");

        Assert.Equal(0, run.ExitCode);
        var call = Assert.Single(server.Calls);
        Assert.Equal(Drain, call.Path);
        Assert.Equal("docker-1", DrainHostRequest.Parser.ParseFrom(call.Body).Name);
        Assert.Matches(@"^docker-1\s+Healthy\s+200\s+3\s+yes\s", SessionCommandsTests.Lines(run.Stdout)[1]);
    }

    [Fact]
    public async Task Undrain_names_the_host()
    {
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(TwoHosts().Hosts[0]), "hosts", "undrain", "docker-1");

        Assert.Equal(0, run.ExitCode);
        var call = Assert.Single(server.Calls);
        Assert.Equal("/agentcluster.v1.HostService/UndrainHost", call.Path);
        Assert.Equal("docker-1", UndrainHostRequest.Parser.ParseFrom(call.Body).Name);
        Assert.Matches(@"^docker-1\s+Healthy\s+200\s+3\s+no\s", SessionCommandsTests.Lines(run.Stdout)[1]);
    }

    [Fact]
    public async Task Drain_of_an_unknown_host_exits_5()
    {
        var (run, _) = await Run(_ => FakeGrpcServer.Reply.Error(StatusCode.NotFound, "host nope not found"), "hosts", "drain", "nope");

        Assert.Equal(5, run.ExitCode);
        Assert.Equal("agentctl: NotFound: host nope not found", Assert.Single(run.StderrLines));
    }

    [Theory]
    [InlineData("hosts", "add", "local")]
    [InlineData("hosts", "add", "--endpoint", "unix:///var/run/docker.sock")]
    [InlineData("hosts", "add", "local", "--endpoint", "unix:///a.sock", "--capacity", "0")]
    [InlineData("hosts", "add", "local", "--endpoint", "unix:///a.sock", "--label", "zone")]
    [InlineData("hosts", "drain")]
    [InlineData("hosts", "list", "extra")]
    [InlineData("hosts")]
    public async Task Bad_command_lines_exit_2_before_anything_is_sent(params string[] args)
    {
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(new Host()), args);

        Assert.Equal(2, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.StartsWith("agentctl: ", Assert.Single(run.StderrLines), StringComparison.Ordinal);
        Assert.Empty(server.Calls);
    }

    public void Dispose() => _dir.Dispose();

    private static Host Echo(AddHostRequest request) => new()
    {
        Name = request.Name,
        Endpoint = request.Endpoint,
        Capacity = request.Capacity == 0 ? 100 : request.Capacity,
        Labels = { request.Labels },
        Health = "Unknown",
    };

    private static ListHostsResponse TwoHosts() => new()
    {
        Hosts =
        {
            new Host
            {
                Name = "docker-1", Endpoint = "unix:///var/run/docker.sock", Capacity = 200, Running = 3, Health = "Healthy",
                Labels = { ["zone"] = "eu", ["gpu"] = "yes" }, LastCheckAt = Checked,
            },
            new Host
            {
                Name = "docker-2", Endpoint = "tcp://10.0.0.2:2376", Capacity = 50, Running = 0, Health = "Unhealthy",
                Draining = true, LastError = "ping failed: connection refused",
            },
        },
    };

    [Fact]
    public async Task Remove_names_the_host_and_says_it_is_gone()
    {
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(new RemoveHostResponse()), "hosts", "remove", "docker-9");

        Assert.Equal(0, run.ExitCode);
        var call = Assert.Single(server.Calls);
        Assert.Equal(Remove, call.Path);
        Assert.Equal("docker-9", RemoveHostRequest.Parser.ParseFrom(call.Body).Name);
        Assert.Equal("removed host docker-9 from the fleet", run.Stdout.TrimEnd());
    }

    [Fact]
    public async Task Remove_of_a_busy_host_is_exit_10_with_the_server_reason()
    {
        var (run, _) = await Run(
            _ => FakeGrpcServer.Reply.Error(StatusCode.FailedPrecondition, "host docker-1 runs 2 live session(s): drain it"),
            "host", "rm", "docker-1");

        Assert.Equal(10, run.ExitCode);
        Assert.Empty(run.Stdout);
        Assert.Equal("agentctl: FailedPrecondition: host docker-1 runs 2 live session(s): drain it", Assert.Single(run.StderrLines));
    }

    private Task<(CliRun Run, FakeGrpcServer Server)> Run(Func<FakeGrpcServer.Call, FakeGrpcServer.Reply> respond, params string[] args) =>
        CliRun.AgainstAsync(_dir.Path, respond, args);
}
