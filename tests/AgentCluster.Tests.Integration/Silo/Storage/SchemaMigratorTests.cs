using AgentCluster.Grains.Hosting;
using AgentCluster.Silo.Storage;
using AgentCluster.Tests.Integration.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AgentCluster.Tests.Integration.Silo.Storage;

public sealed class SchemaMigratorTests
{
    private static readonly StorageOptions Postgres = new() { Provider = StorageOptions.Postgres };
    private static readonly StorageOptions Sqlite = new() { Provider = StorageOptions.Sqlite };

    private static SchemaMigrator NewMigrator() => new(NullLogger<SchemaMigrator>.Instance);

    [Fact]
    public async Task Postgres_migrating_twice_applies_each_script_once()
    {
        await using var db = await PostgresDatabase.CreateAsync();
        var scripts = SchemaMigrator.Migration.Load("postgres");

        Assert.Equal(scripts.Count, await NewMigrator().MigrateAsync(Postgres, db.ConnectionString, default));
        Assert.Equal(0, await NewMigrator().MigrateAsync(Postgres, db.ConnectionString, default));
        await AssertPostgresSchemaAsync(db);

        // Operators may apply any script by hand again: each one alone must change nothing.
        await using (var connection = await db.OpenAsync())
        {
            foreach (var script in scripts)
            {
                await using var command = new NpgsqlCommand(script.Sql, connection);
                await command.ExecuteNonQueryAsync();
            }
        }

        await AssertPostgresSchemaAsync(db);
    }

    [Fact]
    public async Task Postgres_concurrent_migrators_on_an_empty_database_both_succeed()
    {
        await using var db = await PostgresDatabase.CreateAsync();

        var applied = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            Task.Run(() => NewMigrator().MigrateAsync(Postgres, db.ConnectionString, default))));

        Assert.Equal(SchemaMigrator.Migration.Load("postgres").Count, applied.Sum());
        await AssertPostgresSchemaAsync(db);
    }

    [Fact]
    public async Task Sqlite_migrating_twice_applies_each_script_once()
    {
        using var dir = new TempDir();
        // A directory that does not exist yet, as on a first start with the default ./data.
        var connectionString = $"Data Source={dir.Sub("data/agentcluster.db")}";
        var scripts = SchemaMigrator.Migration.Load("sqlite");

        Assert.Equal(scripts.Count, await NewMigrator().MigrateAsync(Sqlite, connectionString, default));
        Assert.Equal(0, await NewMigrator().MigrateAsync(Sqlite, connectionString, default));
        AssertSqliteSchema(connectionString);

        using (var connection = new SqliteConnection(connectionString))
        {
            connection.Open();
            foreach (var script in scripts)
            {
                using var command = connection.CreateCommand();
                command.CommandText = script.Sql;
                command.ExecuteNonQuery();
            }
        }

        AssertSqliteSchema(connectionString);
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Sqlite_concurrent_migrators_on_a_new_file_both_succeed()
    {
        using var dir = new TempDir();
        var connectionString = $"Data Source={dir.Sub("agentcluster.db")}";

        var applied = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            Task.Run(() => NewMigrator().MigrateAsync(Sqlite, connectionString, default))));

        Assert.Equal(SchemaMigrator.Migration.Load("sqlite").Count, applied.Sum());
        AssertSqliteSchema(connectionString);
        SqliteConnection.ClearAllPools();
    }

    private static async Task AssertPostgresSchemaAsync(PostgresDatabase db)
    {
        await using var connection = await db.OpenAsync();
        var scripts = SchemaMigrator.Migration.Load("postgres");

        var versions = await QueryAsync(connection, "SELECT version, name FROM agentcluster_schema_version ORDER BY version");
        Assert.Equal(scripts.Select(s => $"{s.Version}:{s.Name}"), versions);
        Assert.Contains("2:orleans_clustering", versions);

        var tables = await QueryAsync(connection,
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
        Assert.Empty(ExpectedSchema.PostgresTables.Except(tables));

        var keys = await QueryAsync(connection, "SELECT querykey FROM orleansquery");
        Assert.Empty(ExpectedSchema.PostgresKeys.Except(keys));
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    private static void AssertSqliteSchema(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        var scripts = SchemaMigrator.Migration.Load("sqlite");

        Assert.Equal(scripts.Select(s => $"{s.Version}:{s.Name}"),
            Query(connection, "SELECT version, name FROM agentcluster_schema_version ORDER BY version"));
        Assert.Empty(ExpectedSchema.SqliteTables.Except(
            Query(connection, "SELECT name FROM sqlite_master WHERE type = 'table'")));
        Assert.Equal(ExpectedSchema.PersistenceKeys.Order(),
            Query(connection, "SELECT QueryKey FROM OrleansQuery").Order());
        Assert.Equal(["wal"], Query(connection, "PRAGMA journal_mode"));
    }

    private static async Task<List<string>> QueryAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join(':', Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue)));
        }

        return rows;
    }

    private static List<string> Query(SqliteConnection connection, string sql)
    {
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
}
