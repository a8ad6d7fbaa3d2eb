using System.Data;
using System.Data.Common;
using AgentCluster.Grains.Hosting;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AgentCluster.Silo.Storage;

/// <summary>Connections to the project's own tables, pooled, on whichever database the silo runs on.</summary>
internal sealed class DatabaseConnections : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string? _sqlite;

    public DatabaseConnections(StorageOptions storage, string connectionString)
    {
        if (storage.IsPostgres)
            _postgres = NpgsqlDataSource.Create(connectionString);
        else if (storage.IsSqlite)
            _sqlite = new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = 30, Pooling = true }.ToString();
        else
            throw StorageInvariants.UnknownProvider(storage);
    }

    public bool IsSqlite => _sqlite is not null;

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        if (_postgres is not null)
            return await _postgres.OpenConnectionAsync(ct);

        var connection = new SqliteConnection(_sqlite);
        await connection.OpenAsync(ct);
        // Writers from several grains share one file; wait for the lock rather than fail.
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 30000;";
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
            await _postgres.DisposeAsync();
    }
}

internal static class DbCommandParameters
{
    /// <summary>Typed even when null, so PostgreSQL can infer <c>@p IS NULL</c> comparisons.</summary>
    public static void AddParameter(this DbCommand command, string name, object? value, DbType? type = null)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        p.DbType = type ?? value switch
        {
            long => DbType.Int64,
            byte[] => DbType.Binary,
            int => DbType.Int32,
            bool => DbType.Boolean,
            _ => DbType.String,
        };
        command.Parameters.Add(p);
    }
}
