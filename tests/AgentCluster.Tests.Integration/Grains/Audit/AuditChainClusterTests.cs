using System.Collections.Immutable;
using AgentCluster.Audit;
using AgentCluster.Grains.Audit;
using AgentCluster.Tests.Integration.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgentCluster.Tests.Integration.Grains.Audit;

public sealed class AuditChainClusterTests
{
    [Fact]
    public async Task Ten_thousand_events_across_three_tenants_from_two_silos_form_gap_free_unforked_chains()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        using var dir = new TempDir();
        var cluster = $"audit-{Guid.NewGuid():N}";
        using var first = await InProcessSilo.StartAsync(InProcessSilo.Postgres(db.ConnectionString, cluster, dir.Sub("a")));
        using var second = await InProcessSilo.StartAsync(InProcessSilo.Postgres(db.ConnectionString, cluster, dir.Sub("b")));
        string[] tenants = ["audit-a", "audit-b", "audit-c"];

        // Each silo appends half of the events, 64 in flight at a time, all durable.
        var perSilo = 5000;
        var writes = new[] { first, second }.Select((host, s) => Task.Run(async () =>
        {
            var log = host.Services.GetRequiredService<IAuditLog>();
            using var gate = new SemaphoreSlim(64);
            await Task.WhenAll(Enumerable.Range(0, perSilo).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    await log.AppendAsync(new AuditEvent(tenants[i % 3], $"silo-{s}", AuditKinds.GrantIssued, $"event-{s}-{i}",
                        AuditOutcomes.Success, "", AuditEvent.NoDetail.Add("n", i.ToString())));
                }
                finally
                {
                    gate.Release();
                }
            }));
        }));
        await Task.WhenAll(writes);

        var store = first.Services.GetRequiredService<IAuditStore>();
        var total = 0L;
        foreach (var tenant in tenants)
        {
            var rows = new List<AuditChainRow>();
            var subjects = new HashSet<string>();
            await foreach (var r in store.ReadAsync(new AuditQuery(tenant)))
            {
                rows.Add(new AuditChainRow(r.Fields, r.PrevHash, r.Hash));
                Assert.True(subjects.Add(r.Subject), $"event {r.Subject} was written twice");
            }
            var result = AuditChain.Verify(rows);
            Assert.True(result.Ok, $"{tenant}: {result.Problem} at seq {result.FirstBadSeq}");
            Assert.Equal(rows.Count, result.RowsChecked);
            total += rows.Count;
        }
        Assert.Equal(2 * perSilo, total);

        // The system tenant's chain holds the bootstrap key; it is not part of this load.
        var heads = (await store.ReadHeadsAsync(null)).Where(h => tenants.Contains(h.Tenant)).ToList();
        Assert.Equal(tenants, heads.Select(h => h.Tenant).Order());
        Assert.Equal(2 * perSilo, heads.Sum(h => h.Seq));
    }

    [Fact]
    public async Task Sensitive_detail_fields_and_credentials_never_reach_a_row()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        using var dir = new TempDir();
        using var silo = await InProcessSilo.StartAsync(
            InProcessSilo.Postgres(db.ConnectionString, $"audit-{Guid.NewGuid():N}", dir.Sub("a")));
        var log = silo.Services.GetRequiredService<IAuditLog>();
        const string secret = "sk_live_51HxTOPSECRETvalue";
        const string token = "agc_Zm9vYmFyYmF6cXV4cXV1eDEyMzQ1Njc4OTA";

        await log.AppendAsync(new AuditEvent("scrub", "system", AuditKinds.SecretPut, "stripe", AuditOutcomes.Success,
            $"token {token} presented",
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
            {
                ["value"] = secret,
                ["Password"] = secret,
                ["header"] = "Bearer " + token,
                ["host"] = "api.stripe.com",
            })));

        var row = Assert.Single(await silo.Services.GetRequiredService<IAuditStore>().ReadAsync(new AuditQuery("scrub")).ToListAsync());
        var text = string.Join("|", row.Subject, row.Reason, row.DetailJson, row.Actor);
        Assert.DoesNotContain(secret, text);
        Assert.DoesNotContain(token, text);
        Assert.Contains(AuditScrubber.HashPrefix(token), text);
        Assert.Contains("api.stripe.com", text);
        Assert.Matches("sha256:[0-9a-f]{12}", row.Reason);
    }
}
