using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using AgentCluster.Grains.Hosting;
using AgentCluster.Silo.Storage;
using AgentCluster.Tests.Integration.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using Xunit.Abstractions;

namespace AgentCluster.Tests.Integration.Silo.Storage;

/// <summary>
/// The proof that the migrations fit the Orleans ADO.NET providers: they load every query text
/// from OrleansQuery at start-up and bind parameters and read columns by name, so a real silo
/// that joins, writes, re-reads, keeps reminders and leaves the cluster on this schema shows
/// the contract holds.
/// </summary>
public sealed class OrleansProviderTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Postgres_clustering_reminders_and_grain_storage_work_on_the_migrated_schema()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance)
            .MigrateAsync(new StorageOptions { Provider = StorageOptions.Postgres }, db.ConnectionString, default);
        var cluster = $"probe-{Guid.NewGuid():N}";
        var key = $"ses_{Guid.NewGuid():N}";
        var (siloPort, gatewayPort) = (FreePort.Next(), FreePort.Next());

        using (var silo = await StartSiloAsync(s => UsePostgres(s, db.ConnectionString, cluster, siloPort, gatewayPort)))
        {
            var members = await MembershipAsync(db, cluster);
            Assert.Equal(new[] { (siloPort, 3 /* Active */, gatewayPort) }, members);

            // An external client finds the silo through GatewaysQueryKey.
            using var client = await StartClientAsync(db.ConnectionString, cluster);
            var grains = client.Services.GetRequiredService<IClusterClient>();
            await ExerciseGrainStorageAsync(grains, key, () => ExecuteAsync(db,
                "UPDATE OrleansStorage SET Version = Version + 1 WHERE GrainIdExtensionString = @key", key));
            Assert.Equal(
                [$"0:{key}:7", "42::1"],
                await QueryAsync(db, "SELECT GrainIdN1, GrainIdExtensionString, Version FROM OrleansStorage ORDER BY GrainIdN1"));

            var probe = grains.GetGrain<IStringProbeGrain>(key);
            await probe.RegisterReminder();
            Assert.True(await probe.HasReminder());
            Assert.Equal(["probe:0"], await RemindersAsync(db, key));
            await probe.UnregisterReminder();
            Assert.False(await probe.HasReminder());
            Assert.Empty(await RemindersAsync(db, key));
            await probe.RegisterReminder(); // the second silo must find it again

            await client.StopAsync();
            await silo.StopAsync();
        }

        Assert.Equal(new[] { (siloPort, 6 /* Dead */, gatewayPort) }, await MembershipAsync(db, cluster));

        // A second silo reads the first one's state and reminder, and its defunct-silo cleanup
        // removes the dead row (CleanupDefunctSiloEntryKey, matching the values it read back).
        await AgeMembershipRowsByADayAsync(db, cluster);
        var (siloPort2, gatewayPort2) = (FreePort.Next(), FreePort.Next());
        using (var silo = await StartSiloAsync(s =>
        {
            UsePostgres(s, db.ConnectionString, cluster, siloPort2, gatewayPort2);
            s.Configure<ClusterMembershipOptions>(o =>
            {
                o.DefunctSiloExpiration = TimeSpan.FromHours(1);
                o.DefunctSiloCleanupPeriod = TimeSpan.FromSeconds(1);
            });
        }))
        {
            var probe = silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IStringProbeGrain>(key);
            var state = await probe.Read();
            Assert.Equal(("final", "7", true), (state.Value, state.ETag, state.RecordExists));
            Assert.True(await probe.HasReminder());

            await EventuallyAsync(async () => await MembershipAsync(db, cluster) is [(var port, 3, _)] && port == siloPort2,
                "the dead silo's membership row to be cleaned up");
            await silo.StopAsync();

            // The last two keys serve tooling: wiping a service's reminders and a cluster's membership.
            await silo.Services.GetRequiredService<IReminderTable>().TestOnlyClearTable();
            Assert.Empty(await RemindersAsync(db, key));
            await silo.Services.GetRequiredService<IMembershipTable>().DeleteMembershipTableEntriesAsync(cluster, default);
            Assert.Equal(["0"], await QueryAsync(db,
                "SELECT count(*) FROM OrleansMembershipVersionTable WHERE DeploymentId = @key", cluster));
            Assert.Empty(await MembershipAsync(db, cluster));
        }
    }

    [Fact]
    public async Task Sqlite_grain_storage_works_on_the_migrated_schema()
    {
        using var dir = new TempDir();
        var connectionString = $"Data Source={dir.Sub("data/agentcluster.db")}";
        var storage = new StorageOptions { Provider = StorageOptions.Sqlite };
        await DatabaseReadiness.WaitAsync(storage, connectionString, NullLogger.Instance, default);
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(storage, connectionString, default);
        var key = $"ses_{Guid.NewGuid():N}";

        using (var silo = await StartSiloAsync(s => UseSqlite(s, connectionString)))
        {
            await ExerciseGrainStorageAsync(silo.Services.GetRequiredService<IGrainFactory>(), key, () => ExecuteAsync(
                connectionString, "UPDATE OrleansStorage SET Version = Version + 1 WHERE GrainIdExtensionString = @key", key));
            Assert.Equal(
                [$"0:{key}:7", "42::1"],
                Query(connectionString, "SELECT GrainIdN1, GrainIdExtensionString, Version FROM OrleansStorage ORDER BY GrainIdN1"));
            await silo.StopAsync();
        }

        using (var silo = await StartSiloAsync(s => UseSqlite(s, connectionString)))
        {
            var state = await silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IStringProbeGrain>(key).Read();
            Assert.Equal(("final", "7", true), (state.Value, state.ETag, state.RecordExists));
            await silo.StopAsync();
        }

        SqliteConnection.ClearAllPools();
    }

    /// <summary>Write, re-read after deactivation, clear both ways, conflict: every persistence query, both key kinds.</summary>
    private static async Task ExerciseGrainStorageAsync(IGrainFactory grains, string key, Func<Task> bumpVersionBehindTheGrainsBack)
    {
        var probe = grains.GetGrain<IStringProbeGrain>(key);
        var fresh = await probe.Read();
        Assert.Equal(new ProbeSnapshot(null, null, false, fresh.Activation), fresh);

        Assert.Equal("1", (await probe.Write("first")).ETag);
        var written = await probe.Write("second");
        Assert.Equal("2", written.ETag);

        var reread = await ReactivateAsync(probe, written.Activation);
        Assert.Equal(("second", "2", true), (reread.Value, reread.ETag, reread.RecordExists));

        var cleared = await probe.Clear();
        Assert.Equal(new ProbeSnapshot(null, "3", false, cleared.Activation), cleared);
        cleared = await ReactivateAsync(probe, cleared.Activation);
        Assert.Equal(new ProbeSnapshot(null, "3", false, cleared.Activation), cleared);
        var rewritten = await probe.Write("after clear");
        Assert.Equal("4", rewritten.ETag);

        // Someone else moved the version on: the ETag check must refuse the stale write.
        await bumpVersionBehindTheGrainsBack();
        await Assert.ThrowsAsync<InconsistentStateException>(() => probe.Write("stale"));
        var recovered = await ReactivateAsync(probe, rewritten.Activation);
        Assert.Equal(("after clear", "5"), (recovered.Value, recovered.ETag));
        Assert.Equal("6", (await probe.Write("almost")).ETag);
        Assert.Equal("7", (await probe.Write("final")).ETag);

        var number = grains.GetGrain<IIntegerProbeGrain>(42);
        var numberWritten = await number.Write("forty-two");
        Assert.Equal("1", numberWritten.ETag);
        var numberReread = await ReactivateAsync(number, numberWritten.Activation);
        Assert.Equal(("forty-two", "1", true), (numberReread.Value, numberReread.ETag, numberReread.RecordExists));
        var deleted = await number.Clear();
        Assert.Equal(new ProbeSnapshot(null, null, false, deleted.Activation), deleted);
        deleted = await ReactivateAsync(number, deleted.Activation);
        Assert.Equal(new ProbeSnapshot(null, null, false, deleted.Activation), deleted);
        Assert.Equal("1", (await number.Write("forty-two again")).ETag);
    }

    private static async Task<ProbeSnapshot> ReactivateAsync(IStorageProbe grain, Guid activation)
    {
        await grain.Deactivate();
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var snapshot = await grain.Read();
            if (snapshot.Activation != activation)
            {
                return snapshot;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the grain was not deactivated");
    }

    private static void UsePostgres(ISiloBuilder silo, string connectionString, string cluster, int siloPort, int gatewayPort)
    {
        silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (StorageInvariants.Npgsql, connectionString));
        silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = (StorageInvariants.Npgsql, connectionString));
        silo.AddAdoNetGrainStorage(ProbeGrain.StorageName,
            o => (o.Invariant, o.ConnectionString) = (StorageInvariants.Npgsql, connectionString));
        silo.AddAdoNetGrainStorage(ProbeGrain.DeletingStorageName,
            o => (o.Invariant, o.ConnectionString, o.DeleteStateOnClear) = (StorageInvariants.Npgsql, connectionString, true));
        silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort);
        silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster, cluster));
    }

    private static void UseSqlite(ISiloBuilder silo, string connectionString)
    {
        silo.UseLocalhostClustering(FreePort.Next(), FreePort.Next());
        silo.AddAdoNetGrainStorage(ProbeGrain.StorageName,
            o => (o.Invariant, o.ConnectionString) = (StorageInvariants.Sqlite, connectionString));
        silo.AddAdoNetGrainStorage(ProbeGrain.DeletingStorageName,
            o => (o.Invariant, o.ConnectionString, o.DeleteStateOnClear) = (StorageInvariants.Sqlite, connectionString, true));
    }

    private async Task<IHost> StartSiloAsync(Action<ISiloBuilder> configure)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddProvider(new TestOutputLoggerProvider(output, LogLevel.Warning));
        builder.UseOrleans(configure);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private async Task<IHost> StartClientAsync(string connectionString, string cluster)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddProvider(new TestOutputLoggerProvider(output, LogLevel.Warning));
        builder.UseOrleansClient(client => client
            .UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (StorageInvariants.Npgsql, connectionString))
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster, cluster)));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task<List<(int Port, int Status, int ProxyPort)>> MembershipAsync(PostgresDatabase db, string cluster)
    {
        await using var connection = await db.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT Port, Status, ProxyPort FROM OrleansMembershipTable WHERE DeploymentId = @cluster ORDER BY Port", connection);
        command.Parameters.AddWithValue("cluster", cluster);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(int, int, int)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2)));
        }

        return rows;
    }

    /// <summary>
    /// Orleans never expires a dead silo younger than an hour, and counts the suspicion vote a
    /// silo casts on itself when it stops, so every timestamp of the row moves back a day.
    /// </summary>
    private static async Task AgeMembershipRowsByADayAsync(PostgresDatabase db, string cluster)
    {
        await using var connection = await db.OpenAsync();
        await using var read = new NpgsqlCommand(
            "SELECT SuspectTimes FROM OrleansMembershipTable WHERE DeploymentId = @cluster", connection);
        read.Parameters.AddWithValue("cluster", cluster);
        var suspects = await read.ExecuteScalarAsync() as string;
        // The format of LogFormatter.PrintDate: "address@generation,yyyy-MM-dd HH:mm:ss.fff GMT|...".
        var aged = suspects is null ? null : Regex.Replace(suspects, @"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}", m =>
            DateTime.ParseExact(m.Value, "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)
                .AddDays(-1).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture));

        await using var update = new NpgsqlCommand("""
            UPDATE OrleansMembershipTable
            SET StartTime = StartTime - interval '1 day', IAmAliveTime = IAmAliveTime - interval '1 day',
                SuspectTimes = @suspects
            WHERE DeploymentId = @cluster
            """, connection);
        update.Parameters.AddWithValue("cluster", cluster);
        update.Parameters.AddWithValue("suspects", (object?)aged ?? DBNull.Value);
        Assert.Equal(1, await update.ExecuteNonQueryAsync());
    }

    private static Task<List<string>> RemindersAsync(PostgresDatabase db, string key) => QueryAsync(db,
        "SELECT ReminderName, Version FROM OrleansRemindersTable WHERE GrainId LIKE '%' || @key", key);

    private static async Task<List<string>> QueryAsync(PostgresDatabase db, string sql, string? key = null)
    {
        await using var connection = await db.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", (object?)key ?? DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(':', Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue)));
        }

        return rows;
    }

    private static async Task ExecuteAsync(PostgresDatabase db, string sql, string key)
    {
        await using var connection = await db.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", key);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private static List<string> Query(string connectionString, string sql)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join(':', Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue)));
        }

        return rows;
    }

    private static Task ExecuteAsync(string connectionString, string sql, string key)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@key", key);
        Assert.Equal(1, command.ExecuteNonQuery());
        return Task.CompletedTask;
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(250);
        }
    }
}
