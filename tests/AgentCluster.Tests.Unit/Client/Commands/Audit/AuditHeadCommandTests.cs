using System.Text.Json;
using AgentCluster.Api.V1;

namespace AgentCluster.Tests.Unit.Client.Commands.Audit;

public sealed class AuditHeadCommandTests : IDisposable
{
    private static readonly string HashA = new('a', 64);

    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Heads_are_a_table_with_the_anchor_to_store()
    {
        var (run, server) = await Run(Heads(("tenant-a", 4000, HashA), ("tenant-b", 6000, new string('b', 64))), "audit", "head", "--tenant", "tenant-a");

        Assert.Equal(0, run.ExitCode);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(["TENANT", "SEQ", "HASH", "TIME"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["tenant-a", "4000", HashA, "2025-01-02T03:04:05.000Z"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(lines, l => l.Trim() == $"agentctl audit verify --tenant tenant-a --anchor 4000:{HashA}");
        Assert.Equal("tenant-a", server.Request(AuditChains.GetHeads, GetAuditHeadsRequest.Parser).Tenant);
    }

    [Fact]
    public async Task Json_lists_the_heads()
    {
        var (run, _) = await Run(Heads(("acme", 42, HashA)), "--json", "audit", "head");

        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(["heads"], json.RootElement.EnumerateObject().Select(p => p.Name));
        var head = json.RootElement.GetProperty("heads")[0];
        Assert.Equal(["tenant", "seq", "hash", "time"], head.EnumerateObject().Select(p => p.Name));
        Assert.Equal(42, head.GetProperty("seq").GetInt64());
        Assert.Equal(HashA, head.GetProperty("hash").GetString());
        Assert.Equal("2025-01-02T03:04:05Z", head.GetProperty("time").GetString());
    }

    [Fact]
    public async Task No_heads_prints_no_hint()
    {
        var (run, _) = await Run(Heads(), "audit", "head");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("TENANT  SEQ  HASH  TIME", run.Stdout.TrimEnd());
    }

    public void Dispose() => _dir.Dispose();

    private static Func<FakeGrpcServer.Call, FakeGrpcServer.Reply> Heads(params (string Tenant, long Seq, string Hash)[] heads)
    {
        var reply = new AuditHeads();
        reply.Heads.AddRange(heads.Select(h => new AuditHead { Tenant = h.Tenant, Seq = h.Seq, Hash = h.Hash, AtMs = AuditChains.StartMs }));
        return _ => FakeGrpcServer.Reply.Ok(reply);
    }

    private Task<(CliRun Run, FakeGrpcServer Server)> Run(Func<FakeGrpcServer.Call, FakeGrpcServer.Reply> respond, params string[] args) =>
        CliRun.AgainstAsync(_dir.Path, respond, args);
}
