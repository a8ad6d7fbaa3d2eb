using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using AgentCluster.Grains.Hosting;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AgentCluster.Silo.Storage;

/// <summary>
/// The database could not be reached in time. <see cref="Exception.Message"/> is a single line
/// meant for the operator (provider, host and port, why) and never contains the password.
/// </summary>
public sealed class DatabaseUnreachableException(string message, Exception? innerException = null)
    : Exception(message, innerException);

/// <summary>Waits at start-up until the configured database accepts connections.</summary>
public static class DatabaseReadiness
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// PostgreSQL: retries with exponential backoff until <see cref="StorageOptions.StartupTimeout"/>
    /// (a database container usually starts alongside the silo). SQLite: creates the file's
    /// directory and opens the file once.
    /// </summary>
    /// <exception cref="DatabaseUnreachableException">The database did not become reachable.</exception>
    public static Task WaitAsync(StorageOptions storage, string connectionString, ILogger logger, CancellationToken ct) =>
        storage.IsPostgres ? WaitForPostgresAsync(storage.StartupTimeout, connectionString, logger, ct)
        : storage.IsSqlite ? OpenSqliteAsync(connectionString, ct)
        : throw StorageInvariants.UnknownProvider(storage);

    private static async Task WaitForPostgresAsync(TimeSpan timeout, string connectionString, ILogger logger, CancellationToken ct)
    {
        NpgsqlConnectionStringBuilder settings;
        try
        {
            settings = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new DatabaseUnreachableException($"invalid PostgreSQL connection string ({OneLine(e.Message)})", e);
        }

        var target = string.Create(CultureInfo.InvariantCulture, $"{settings.Host}:{settings.Port}");
        var clock = Stopwatch.StartNew();
        var delay = FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            attemptTimeout.CancelAfter(Max(timeout - clock.Elapsed, TimeSpan.FromMilliseconds(100)));
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(attemptTimeout.Token);
                if (attempt > 1)
                {
                    logger.LogInformation("PostgreSQL at {Target} reachable after {Attempts} attempts", target, attempt);
                }

                return;
            }
            catch (Exception e) when (!ct.IsCancellationRequested && e is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                var reason = Describe(e);
                // A wrong password or pg_hba rule does not fix itself by waiting.
                if (e is PostgresException { SqlState: var state } && state.StartsWith("28", StringComparison.Ordinal))
                {
                    throw new DatabaseUnreachableException(
                        $"PostgreSQL at {target} refused user '{settings.Username}' ({reason})", e);
                }

                var remaining = timeout - clock.Elapsed;
                if (remaining <= TimeSpan.Zero)
                {
                    throw new DatabaseUnreachableException(string.Create(CultureInfo.InvariantCulture,
                        $"cannot reach PostgreSQL at {target} after {timeout.TotalSeconds:0.#}s ({reason})"), e);
                }

                var wait = Min(delay, remaining);
                logger.LogWarning(
                    "PostgreSQL at {Target} (database {Database}, user {User}) not reachable on attempt {Attempt}: {Reason}; retrying in {Delay} ms",
                    target, settings.Database, settings.Username, attempt, reason, (long)wait.TotalMilliseconds);
                await Task.Delay(wait, ct);
                delay = Min(delay * 2, MaxDelay);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Raised for settings Npgsql rejects only when connecting (e.g. no Host): retrying cannot help.
                throw new DatabaseUnreachableException($"cannot connect to PostgreSQL at {target} ({Describe(e)})", e);
            }
        }
    }

    private static async Task OpenSqliteAsync(string connectionString, CancellationToken ct)
    {
        var file = "(unknown)";
        try
        {
            file = EnsureSqliteDirectory(connectionString) ?? ":memory:";
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(ct);
            // Opening does not read the file yet; this fails now if it is not a SQLite database.
            await using var probe = connection.CreateCommand();
            probe.CommandText = "PRAGMA schema_version";
            await probe.ExecuteScalarAsync(ct);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new DatabaseUnreachableException($"cannot open SQLite database {file} ({Describe(e)})", e);
        }
    }

    /// <summary>Creates the directory of a file-backed SQLite database.</summary>
    /// <returns>The database file's full path, or null for an in-memory database.</returns>
    internal static string? EnsureSqliteDirectory(string connectionString)
    {
        var settings = new SqliteConnectionStringBuilder(connectionString);
        if (settings.Mode == SqliteOpenMode.Memory || settings.DataSource is "" or ":memory:")
        {
            return null;
        }

        var path = Path.GetFullPath(settings.DataSource);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    private static string Describe(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException socket:
                    return socket.SocketErrorCode switch
                    {
                        SocketError.ConnectionRefused => "connection refused",
                        SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => "host not found",
                        SocketError.TimedOut => "timed out",
                        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "host unreachable",
                        _ => OneLine(socket.Message),
                    };
                case PostgresException postgres:
                    return $"{postgres.SqlState}: {OneLine(postgres.MessageText)}";
                case SqliteException sqlite:
                    return OneLine(sqlite.Message);
                case OperationCanceledException or TimeoutException:
                    return "timed out";
            }
        }

        return OneLine(e.Message);
    }

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
