using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using AgentCluster.Grains.Hosting;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AgentCluster.Silo.Storage;

/// <summary>
/// Applies the embedded scripts of <c>Storage/Migrations/{postgres|sqlite}</c> that the database
/// has not recorded yet, in version order, each in its own transaction together with its row in
/// <c>agentcluster_schema_version</c>. Several silos may start against an empty database at once:
/// every transaction first takes a database-wide lock, then re-checks what is recorded.
/// </summary>
public sealed partial class SchemaMigrator(ILogger<SchemaMigrator> logger)
{
    // Any constant will do as long as every silo uses the same one ("AGCLSCHM").
    private const long PostgresLockKey = 0x4147_434C_5343_484D;

    private const string PostgresVersionTable = """
        CREATE TABLE IF NOT EXISTS agentcluster_schema_version
        (
            version    integer     NOT NULL PRIMARY KEY,
            name       text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        );
        """;

    private const string SqliteVersionTable = """
        CREATE TABLE IF NOT EXISTS agentcluster_schema_version
        (
            version    INTEGER NOT NULL PRIMARY KEY,
            name       TEXT    NOT NULL,
            applied_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        """;

    /// <returns>How many migrations this call applied (0 when the schema was already current).</returns>
    public async Task<int> MigrateAsync(StorageOptions storage, string connectionString, CancellationToken ct)
    {
        var migrations = Migration.Load(storage.IsPostgres ? "postgres" : storage.IsSqlite ? "sqlite"
            : throw StorageInvariants.UnknownProvider(storage));
        await using var connection = await OpenAsync(storage, connectionString, ct);

        // Creating the version table races like any other DDL, so it goes through the same lock.
        await using (var tx = await BeginLockedAsync(connection, ct))
        {
            await ExecuteAsync(connection, tx, storage.IsPostgres ? PostgresVersionTable : SqliteVersionTable, ct);
            await tx.CommitAsync(ct);
        }

        var applied = 0;
        foreach (var migration in migrations)
        {
            var clock = Stopwatch.StartNew();
            await using var tx = await BeginLockedAsync(connection, ct);
            if (await IsRecordedAsync(connection, tx, migration.Version, ct))
            {
                continue; // disposing rolls back the empty transaction and releases the lock
            }

            await ExecuteAsync(connection, tx, migration.Sql, ct);
            await ExecuteAsync(connection, tx,
                "INSERT INTO agentcluster_schema_version (version, name) VALUES (@version, @name)", ct,
                ("version", migration.Version), ("name", migration.Name));
            await tx.CommitAsync(ct);
            applied++;
            logger.LogInformation("Applied {Provider} migration {Version:0000} {Name} in {Elapsed} ms",
                storage.Provider, migration.Version, migration.Name, clock.ElapsedMilliseconds);
        }

        logger.LogInformation("Database schema ({Provider}) is at version {Version}: {Applied} migration(s) applied now",
            storage.Provider, migrations[^1].Version, applied);
        return applied;
    }

    private static async Task<DbConnection> OpenAsync(StorageOptions storage, string connectionString, CancellationToken ct)
    {
        if (storage.IsPostgres)
        {
            var postgres = new NpgsqlConnection(connectionString);
            await postgres.OpenAsync(ct);
            return postgres;
        }

        DatabaseReadiness.EnsureSqliteDirectory(connectionString);
        var sqlite = new SqliteConnection(connectionString);
        await sqlite.OpenAsync(ct);
        // busy_timeout makes a second silo wait for BEGIN IMMEDIATE instead of failing with
        // SQLITE_BUSY; WAL (a property of the file, so set once) lets grain reads run during writes.
        await ExecuteAsync(sqlite, null, "PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL;", ct);
        return sqlite;
    }

    private static async Task<DbTransaction> BeginLockedAsync(DbConnection connection, CancellationToken ct)
    {
        if (connection is SqliteConnection sqlite)
        {
            // Not deferred = BEGIN IMMEDIATE: takes the write lock now, before we read the versions.
            return sqlite.BeginTransaction(deferred: false);
        }

        var tx = await connection.BeginTransactionAsync(ct);
        // Released by COMMIT/ROLLBACK, so a crashed silo can never leave it held.
        await ExecuteAsync(connection, tx, "SELECT pg_advisory_xact_lock(@key)", ct, ("key", PostgresLockKey));
        return tx;
    }

    private static async Task<bool> IsRecordedAsync(DbConnection connection, DbTransaction tx, int version, CancellationToken ct)
    {
        await using var command = CreateCommand(connection, tx,
            "SELECT count(*) FROM agentcluster_schema_version WHERE version = @version", ("version", version));
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) > 0;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct,
        params (string Name, object Value)[] parameters)
    {
        await using var command = CreateCommand(connection, tx, sql, parameters);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static DbCommand CreateCommand(DbConnection connection, DbTransaction? tx, string sql,
        params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.CommandTimeout = 0; // a migration or a wait for the lock may take long; ct bounds it
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>One embedded script, named <c>Migrations/{provider}/{version}_{name}.sql</c>.</summary>
    internal sealed partial record Migration(int Version, string Name, string Sql)
    {
        public static IReadOnlyList<Migration> Load(string provider)
        {
            var assembly = typeof(SchemaMigrator).Assembly;
            var migrations = new List<Migration>();
            foreach (var resource in assembly.GetManifestResourceNames())
            {
                // MSBuild's RecursiveDir ends in '\' on Windows builds and '/' elsewhere.
                var match = ResourceName().Match(resource.Replace('\\', '/'));
                if (!match.Success || match.Groups["provider"].Value != provider)
                {
                    continue;
                }

                using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
                migrations.Add(new Migration(
                    int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture),
                    match.Groups["name"].Value,
                    reader.ReadToEnd()));
            }

            migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
            if (migrations.Count == 0)
            {
                throw new InvalidOperationException($"no embedded migrations for provider '{provider}'");
            }

            var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new InvalidOperationException(
                    $"two {provider} migrations share version {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.Name))}");
            }

            return migrations;
        }

        [GeneratedRegex(@"^Migrations/(?<provider>[^/]+)/(?<version>\d+)_(?<name>[^/]+)\.sql$")]
        private static partial Regex ResourceName();
    }
}
