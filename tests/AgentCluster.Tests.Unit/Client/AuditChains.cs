using AgentCluster.Api.V1;
using AgentCluster.Audit;
using AgentCluster.Client.Sdk;
using Google.Protobuf;
using Grpc.Core;

namespace AgentCluster.Tests.Unit.Client;

/// <summary>
/// Audit rows as the server would stream them, chained with the silo's own hash code
/// (<see cref="AuditEntry.ComputeHash"/> is AuditChain.ComputeHash).
/// </summary>
internal static class AuditChains
{
    public const string Export = "/agentcluster.v1.AuditService/Export";
    public const string Tail = "/agentcluster.v1.AuditService/Tail";
    public const string GetHeads = "/agentcluster.v1.AuditService/GetHeads";

    public static readonly string Genesis = new('0', 64);

    // 2025-01-02T03:04:05Z
    public const long StartMs = 1_735_787_045_000;

    public static List<AuditRecord> Build(string tenant, int count, Func<long, string>? detail = null)
    {
        var rows = new List<AuditRecord>(count);
        for (var seq = 1L; seq <= count; seq++)
        {
            rows.Add(new AuditRecord
            {
                Tenant = tenant,
                Seq = seq,
                AtMs = StartMs + (seq * 1_001),
                Actor = "key_0123456789abcdef",
                Kind = seq % 2 == 0 ? "grant.issued" : "session.created",
                Subject = $"ses_{seq % 5}",
                Outcome = "success",
                Reason = seq % 3 == 0 ? "policy allows" : string.Empty,
                Detail = detail?.Invoke(seq) ?? $$"""{"resource":"db-{{seq}}","token":"3f2a9c01b7de"}""",
            });
        }

        return Rechain(rows);
    }

    /// <summary>Recomputes every prev_hash and hash in order: what a superuser who rewrites the chain would do.</summary>
    public static List<AuditRecord> Rechain(List<AuditRecord> rows)
    {
        var prev = Genesis;
        var lastTenant = (string?)null;
        foreach (var row in rows)
        {
            prev = row.Tenant == lastTenant ? prev : Genesis;
            lastTenant = row.Tenant;
            row.PrevHash = prev;
            row.Hash = AuditEntry.From(row).ComputeHash();
            prev = row.Hash;
        }

        return rows;
    }

    public static string AnchorOf(AuditRecord row) => $"{row.Seq}:{row.Hash}";

    public static FakeGrpcServer.Reply Stream(IEnumerable<AuditRecord> rows) => FakeGrpcServer.Reply.Stream(rows);

    public static FakeGrpcServer.Reply Heads(params string[] tenants)
    {
        var heads = new AuditHeads();
        heads.Heads.AddRange(tenants.Select((t, i) => new AuditHead { Tenant = t, Seq = 10 + i, Hash = new string('a', 64), AtMs = StartMs }));
        return FakeGrpcServer.Reply.Ok(heads);
    }

    /// <summary>Answers Export with <paramref name="rows"/> and GetHeads with <paramref name="headTenants"/>.</summary>
    public static Func<FakeGrpcServer.Call, FakeGrpcServer.Reply> Server(IEnumerable<AuditRecord> rows, params string[] headTenants) =>
        call => call.Path switch
        {
            Export => Stream(rows),
            GetHeads => Heads(headTenants),
            _ => FakeGrpcServer.Reply.Error(StatusCode.Unimplemented, call.Path),
        };

    public static T Request<T>(this FakeGrpcServer server, string path, MessageParser<T> parser)
        where T : IMessage<T> =>
        parser.ParseFrom(server.Calls.Single(c => c.Path == path).Body);
}
