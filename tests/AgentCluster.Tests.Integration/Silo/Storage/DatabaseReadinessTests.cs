using System.Diagnostics;
using AgentCluster.Grains.Hosting;
using AgentCluster.Silo.Storage;
using AgentCluster.Tests.Integration.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentCluster.Tests.Integration.Silo.Storage;

public sealed class DatabaseReadinessTests
{
    [Fact]
    public async Task Postgres_on_a_closed_port_gives_up_after_the_timeout_with_one_clear_line()
    {
        var port = FreePort.Next(); // free = nobody listens there
        const string password = "hunter2-not-logged";
        var storage = new StorageOptions { Provider = StorageOptions.Postgres, StartupTimeout = TimeSpan.FromSeconds(3) };
        var logger = new CollectingLogger();
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<DatabaseUnreachableException>(() => DatabaseReadiness.WaitAsync(storage,
            $"Host=127.0.0.1;Port={port};Username=agentcluster;Password={password};Database=agentcluster", logger, default));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(20));
        Assert.Equal($"cannot reach PostgreSQL at 127.0.0.1:{port} after 3s (connection refused)", e.Message);
        Assert.DoesNotContain('\n', e.Message);

        var retries = logger.Lines.Where(l => l.Level == LogLevel.Warning).Select(l => l.Line).ToList();
        Assert.True(retries.Count >= 2, $"expected a warning per retry, got {retries.Count}");
        Assert.Contains("attempt 1", retries[0], StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", retries[0], StringComparison.Ordinal);
        Assert.DoesNotContain(logger.Lines, l => l.Line.Contains(password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Postgres_that_is_up_is_ready_at_once()
    {
        var storage = new StorageOptions { Provider = StorageOptions.Postgres, StartupTimeout = TimeSpan.FromSeconds(3) };
        var logger = new CollectingLogger();

        await DatabaseReadiness.WaitAsync(storage, PostgresDatabase.AdminConnectionString, logger, default);

        Assert.DoesNotContain(logger.Lines, l => l.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Sqlite_creates_the_directory_and_opens_the_file()
    {
        using var dir = new TempDir();
        var file = dir.Sub("nested/data/agentcluster.db");
        var storage = new StorageOptions { Provider = StorageOptions.Sqlite };

        await DatabaseReadiness.WaitAsync(storage, storage.ResolveConnectionString(Path.GetDirectoryName(file)!),
            NullLogger.Instance, default);

        Assert.True(File.Exists(file));
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Sqlite_file_that_is_not_a_database_is_reported_in_one_line()
    {
        using var dir = new TempDir();
        var file = dir.Sub("agentcluster.db");
        await File.WriteAllTextAsync(file, "this is not a SQLite database, just some text long enough to be a header");
        var storage = new StorageOptions { Provider = StorageOptions.Sqlite };

        var e = await Assert.ThrowsAsync<DatabaseUnreachableException>(() =>
            DatabaseReadiness.WaitAsync(storage, $"Data Source={file}", NullLogger.Instance, default));

        Assert.StartsWith($"cannot open SQLite database {file} (", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public void Invariants_are_the_driver_names_Orleans_looks_up()
    {
        Assert.Equal("Npgsql", new StorageOptions { Provider = "postgres" }.AdoInvariant());
        // Orleans 10.4 maps this key to Microsoft.Data.Sqlite; "Microsoft.Data.Sqlite" is not a key it knows.
        Assert.Equal("System.Data.SQLite", new StorageOptions { Provider = "SQLite" }.AdoInvariant());
        Assert.Throws<InvalidOperationException>(() => new StorageOptions { Provider = "mysql" }.AdoInvariant());
    }
}
