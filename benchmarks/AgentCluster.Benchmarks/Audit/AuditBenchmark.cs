using System.Diagnostics;
using AgentCluster.Audit;
using AgentCluster.Benchmarks.Cluster;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Hosting;
using AgentCluster.Silo.Hosting;
using AgentCluster.Silo.Storage;
using AgentCluster.Silo.Storage.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentCluster.Benchmarks.Audit;

/// <summary>
/// Appends per second and the latency of a durable append on PostgreSQL: one row per
/// transaction (the baseline) against the AuditLogGrain's group commit, in one run.
/// </summary>
internal static class AuditBenchmark
{
    public static async Task RunAsync(string connectionString, BenchTls tls, int events)
    {
        var storage = new StorageOptions { Provider = StorageOptions.Postgres, ConnectionString = connectionString };
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(storage, connectionString, CancellationToken.None);
        await using var connections = new DatabaseConnections(storage, connectionString);
        var store = new SqlAuditStore(connections);

        var baselineCount = Math.Max(500, events / 20);
        var (baselineRate, baselineLatency) = await Unbatched(store, $"bench-raw-{Guid.NewGuid():N}", baselineCount);
        Console.WriteLine($"unbatched: {baselineCount} appends, one transaction each: {baselineRate:0} appends/s, {baselineLatency}");

        using var silo = await StartSilo(storage, connectionString, tls);
        var log = silo.Services.GetRequiredService<IAuditLog>();
        var tenant = $"bench-grain-{Guid.NewGuid():N}";
        await Through(log, tenant, 200, inFlight: 1); // warm-up: activation, JIT, pool
        var (_, singleLatency) = await Through(log, tenant, 1000, inFlight: 1);
        Console.WriteLine($"durable append through the grain, one at a time: {singleLatency}");
        var (batchedRate, loadedLatency) = await Through(log, tenant, events, inFlight: 512);
        Console.WriteLine($"batched: {events} durable appends, 512 in flight: {batchedRate:0} appends/s, {loadedLatency}");

        var verified = await Verify(store, tenant);
        Console.WriteLine($"chain of {tenant} verifies: {verified.Ok} ({verified.RowsChecked} rows)");
        Console.WriteLine();
        Console.WriteLine($"throughput ratio batched/unbatched: {batchedRate / baselineRate:0.0}x");
        Console.WriteLine($"added latency of a durable append (grain, alone) vs a raw one-row insert: " +
            $"p50 {singleLatency.Percentile(50) / baselineLatency.Percentile(50):0.00}x, p99 {singleLatency.Percentile(99) / baselineLatency.Percentile(99):0.00}x");
    }

    private static async Task<(double Rate, Latencies Latency)> Unbatched(SqlAuditStore store, string tenant, int count)
    {
        var latency = new Latencies();
        var (seq, prev) = (0L, AuditChain.Genesis);
        var total = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var fields = new AuditRowFields(++seq, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), tenant, "bench",
                AuditKinds.GrantIssued, $"event-{i}", AuditOutcomes.Success, "", "{}");
            var hash = AuditChain.ComputeHash(prev, fields);
            var one = Stopwatch.StartNew();
            await store.AppendAsync([new AuditRecord(fields.Seq, fields.AtMs, tenant, fields.Actor, fields.Kind, fields.Subject,
                fields.Outcome, fields.Reason, fields.Detail, prev, hash)]);
            latency.Add(one.Elapsed);
            prev = hash;
        }
        return (count / total.Elapsed.TotalSeconds, latency);
    }

    private static Task<(double Rate, Latencies Latency)> Through(IAuditLog log, string tenant, int count, int inFlight) =>
        Measurement.RunAsync(count, inFlight, i => log.AppendAsync(new AuditEvent(tenant, "bench", AuditKinds.GrantIssued,
            $"event-{i}", AuditOutcomes.Success, "", AuditEvent.NoDetail)));

    private static async Task<AuditVerification> Verify(SqlAuditStore store, string tenant)
    {
        var rows = new List<AuditChainRow>();
        await foreach (var r in store.ReadAsync(new AuditQuery(tenant)))
            rows.Add(new AuditChainRow(r.Fields, r.PrevHash, r.Hash));
        return AuditChain.Verify(rows);
    }

    private static async Task<IHost> StartSilo(StorageOptions storage, string connectionString, BenchTls tls)
    {
        var id = $"bench-{Guid.NewGuid():N}";
        var options = new AgentClusterOptions
        {
            DataDir = Path.Combine(Path.GetTempPath(), id),
            ClusterId = id,
            ServiceId = id,
            Storage = storage,
            Cluster = { Tls = tls.Silo },
        };
        options.Ports.Silo = 21_000 + Random.Shared.Next(1000);
        options.Ports.Gateway = options.Ports.Silo + 1000;
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddAgentClusterServices(builder.Configuration, options, connectionString);
        builder.UseOrleans(s => s.UseAgentCluster(options, connectionString, builder.Configuration));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
