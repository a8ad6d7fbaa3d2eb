using System.Text.Json;
using AgentCluster.Api.V1;
using Google.Protobuf.WellKnownTypes;
// AgentCluster.Silo, the namespace, would hide the message of the same name.
using SiloMessage = AgentCluster.Api.V1.Silo;

namespace AgentCluster.Tests.Unit.Client.Commands.Cluster;

public sealed class ClusterStatusCommandTests : IDisposable
{
    private const string Key = "ak_test_key";

    private static readonly Timestamp Created = Timestamp.FromDateTimeOffset(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Cluster_status_as_json_passes_statuses_through_and_sends_the_bearer_key()
    {
        var status = new ClusterStatus
        {
            Silos =
            {
                new SiloMessage { Address = "127.0.0.1:11111", Status = "Active", Name = "s1", HostName = "h", StartedAt = Created },
                new SiloMessage { Address = "127.0.0.1:11112", Status = "ShuttingDown", Name = "s2", HostName = "h" },
            },
        };
        var (run, server) = await Run(_ => FakeGrpcServer.Reply.Ok(status), "--json", "cluster", "status", "--api-key", Key);

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Stderr);
        var call = Assert.Single(server.Calls);
        Assert.Equal("/agentcluster.v1.ClusterService/GetStatus", call.Path);
        Assert.Equal("Bearer " + Key, call.Authorization);
        using var json = JsonDocument.Parse(run.Stdout);
        var silos = json.RootElement.GetProperty("silos");
        Assert.Equal(["Active", "ShuttingDown"], silos.EnumerateArray().Select(s => s.GetProperty("status").GetString()));
        Assert.Equal("2025-01-02T03:04:05Z", silos[0].GetProperty("startedAt").GetString());
    }

    [Fact]
    public async Task Cluster_status_for_humans_is_a_table()
    {
        var status = new ClusterStatus { Silos = { new SiloMessage { Address = "127.0.0.1:11111", Status = "Active", Name = "s1", HostName = "h", StartedAt = Created } } };
        var (run, _) = await Run(_ => FakeGrpcServer.Reply.Ok(status), "cluster", "status");

        Assert.Equal(
            ["ADDRESS          STATUS  NAME  HOST  STARTED", "127.0.0.1:11111  Active  s1    h     2025-01-02 03:04:05Z"],
            run.Stdout.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    public void Dispose() => _dir.Dispose();

    private Task<(CliRun Run, FakeGrpcServer Server)> Run(Func<FakeGrpcServer.Call, FakeGrpcServer.Reply> respond, params string[] args) =>
        CliRun.AgainstAsync(_dir.Path, respond, args);
}
