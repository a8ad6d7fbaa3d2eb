using AgentCluster.Grains.Hosting;
using AgentCluster.Silo.Storage;
using AgentCluster.Tests.Integration.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AgentCluster.Tests.Integration.Silo.Storage.Audit;

public sealed class AuditPermissionTests
{
    private const string Insert = """
        INSERT INTO agentcluster_audit (tenant, seq, at_ms, actor, kind, subject, outcome, reason, detail, prev_hash, hash)
        VALUES ('t', 1, 0, 'system', 'tenant.created', 't', 'success', '', '{}', repeat('0', 64), repeat('1', 64))
        """;

    private static async Task<PostgresDatabase> Migrated()
    {
        var db = await PostgresDatabase.CreateAsync();
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(
            new StorageOptions { Provider = StorageOptions.Postgres }, db.ConnectionString, CancellationToken.None);
        return db;
    }

    private static async Task<PostgresException> Refused(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task The_silo_role_may_insert_and_select_but_update_delete_and_truncate_are_refused()
    {
        await using var db = await Migrated();
        await using var connection = await db.OpenAsync();
        await using (var setRole = new NpgsqlCommand("SET ROLE agentcluster_silo", connection))
            await setRole.ExecuteNonQueryAsync();
        await using (var insert = new NpgsqlCommand(Insert, connection))
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        await using (var select = new NpgsqlCommand("SELECT count(*) FROM agentcluster_audit", connection))
            Assert.Equal(1L, await select.ExecuteScalarAsync());

        foreach (var sql in new[]
        {
            "UPDATE agentcluster_audit SET reason = 'edited'",
            "DELETE FROM agentcluster_audit",
            "TRUNCATE agentcluster_audit",
        })
        {
            var e = await Refused(connection, sql);
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
        }
    }

    [Fact]
    public async Task Even_the_table_owner_is_refused_by_the_trigger()
    {
        await using var db = await Migrated();
        await using var connection = await db.OpenAsync();
        await using (var insert = new NpgsqlCommand(Insert, connection))
            await insert.ExecuteNonQueryAsync();

        foreach (var sql in new[]
        {
            "UPDATE agentcluster_audit SET reason = 'edited'",
            "DELETE FROM agentcluster_audit",
            "TRUNCATE agentcluster_audit",
        })
        {
            var e = await Refused(connection, sql);
            Assert.Contains("append-only", e.MessageText);
        }
        await using var count = new NpgsqlCommand("SELECT reason FROM agentcluster_audit", connection);
        Assert.Equal("", await count.ExecuteScalarAsync());
    }
}
