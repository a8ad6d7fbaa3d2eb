using Npgsql;

namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>
/// A fresh, uniquely named database on the PostgreSQL server named by <c>AGENTCLUSTER_TEST_PG</c>
/// (a superuser connection string), dropped again on dispose. Tests that need PostgreSQL fail,
/// never skip, when the variable is missing: a skipped test proves nothing.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    public const string EnvironmentVariable = "AGENTCLUSTER_TEST_PG";

    private readonly string _adminConnectionString;

    private PostgresDatabase(string adminConnectionString, string name)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>Connects to this database with the superuser from the environment.</summary>
    public string ConnectionString { get; }

    /// <summary>The superuser connection string, or a failure that says how to provide it.</summary>
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. These tests need a running PostgreSQL and a superuser " +
                $"connection string, e.g. {EnvironmentVariable}=\"Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres\"");

    public static async Task<PostgresDatabase> CreateAsync()
    {
        var admin = AdminConnectionString;
        var database = new PostgresDatabase(admin, $"agentcluster_test_{Guid.NewGuid():N}");
        await database.AdminAsync($"CREATE DATABASE \"{database.Name}\"");
        return database;
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        // Our pooled idle connections would otherwise be killed under the pool by FORCE.
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        await AdminAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
