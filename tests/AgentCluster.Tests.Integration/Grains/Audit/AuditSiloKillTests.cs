using System.Collections.Concurrent;
using AgentCluster.Api.V1;
using AgentCluster.Audit;
using AgentCluster.Grains.Audit;
using AgentCluster.Silo.Storage;
using AgentCluster.Silo.Storage.Audit;
using AgentCluster.Tests.Integration.Infrastructure;
using Grpc.Core;

namespace AgentCluster.Tests.Integration.Grains.Audit;

public sealed class AuditSiloKillTests
{
    private static readonly string AdminKey = "agk_test-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Killing_a_silo_in_the_middle_of_batches_leaves_a_verifying_chain_with_every_acknowledged_event()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        using var dir = new TempDir();
        var args = PostgresSilos.Args(db.ConnectionString);
        await using var a = SiloProcess.Start(dir.Sub("a"), args, PostgresSilos.Env(AdminKey));
        await using var b = SiloProcess.Start(dir.Sub("b"), args, PostgresSilos.Env(AdminKey));
        await Task.WhenAll(a.WaitHealthyAsync(), b.WaitHealthyAsync());
        using var viaA = new ApiClients(a.ApiEndpoint, AdminKey);
        using var viaB = new ApiClients(b.ApiEndpoint, AdminKey);
        await viaA.Tenants.CreateTenantAsync(new CreateTenantRequest { Name = "kill" });

        // Every acknowledged key creation waited for its durable key.created row.
        var acknowledged = new ConcurrentBag<string>();
        var killed = false;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(150);
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; acknowledged.Count < 200 && DateTime.UtcNow < deadline; i++)
            {
                var via = !Volatile.Read(ref killed) && (w + i) % 2 == 1 ? viaB : viaA;
                try
                {
                    var key = await via.Keys.CreateKeyAsync(new CreateKeyRequest { Tenant = "kill", Roles = { "orchestrator" } });
                    acknowledged.Add(key.Key.Id);
                }
                catch (RpcException)
                {
                    await Task.Delay(100);
                }
            }
        })).ToList();

        while (acknowledged.Count < 60 && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        b.Kill();
        Volatile.Write(ref killed, true);
        await Task.WhenAll(workers);
        Assert.True(acknowledged.Count >= 200, $"only {acknowledged.Count} keys were acknowledged:\n{a.Output.Tail()}");

        var store = new SqlAuditStore(new DatabaseConnections(
            new AgentCluster.Grains.Hosting.StorageOptions { Provider = "postgres" }, db.ConnectionString));
        var rows = await store.ReadAsync(new AuditQuery("kill")).ToListAsync();
        var result = AuditChain.Verify(rows.Select(r => new AuditChainRow(r.Fields, r.PrevHash, r.Hash)));
        Assert.True(result.Ok, $"{result.Problem} at seq {result.FirstBadSeq}");
        var audited = rows.Where(r => r.Kind == AuditKinds.KeyCreated).Select(r => r.Subject).ToHashSet();
        var missing = acknowledged.Where(id => !audited.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"acknowledged keys without a key.created row: {string.Join(", ", missing)}");
    }
}
