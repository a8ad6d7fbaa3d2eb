using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace AgentCluster.Tests.Integration.Silo.Storage;

/// <summary>What each provider needs from the schema; a missing key fails silo start-up.</summary>
internal static class ExpectedSchema
{
    public static readonly string[] ClusteringKeys =
    [
        "InsertMembershipVersionKey", "InsertMembershipKey", "UpdateMembershipKey", "UpdateIAmAlivetimeKey",
        "MembershipReadRowKey", "MembershipReadAllKey", "DeleteMembershipTableEntriesKey", "GatewaysQueryKey",
        "CleanupDefunctSiloEntriesKey", "CleanupDefunctSiloEntryKey",
    ];

    public static readonly string[] ReminderKeys =
    [
        "UpsertReminderRowKey", "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key",
        "ReadRangeRows2Key", "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    public static readonly string[] PersistenceKeys =
        ["ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey"];

    public static readonly string[] PostgresKeys = [.. ClusteringKeys, .. ReminderKeys, .. PersistenceKeys];

    // information_schema reports the unquoted identifiers folded to lower case.
    public static readonly string[] PostgresTables =
    [
        "orleansquery", "orleansmembershipversiontable", "orleansmembershiptable", "orleansreminderstable",
        "orleansstorage", "agentcluster_schema_version",
    ];

    public static readonly string[] SqliteTables = ["OrleansQuery", "OrleansStorage", "agentcluster_schema_version"];
}

/// <summary>Sends a host's log lines at or above a level to the test output.</summary>
internal sealed class TestOutputLoggerProvider(ITestOutputHelper output, LogLevel minimum) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new CallbackLogger(minimum, line =>
    {
        try
        {
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {categoryName}: {line}");
        }
        catch (InvalidOperationException)
        {
            // Background work that logs after the test finished has nowhere to write.
        }
    });

    public void Dispose()
    {
    }
}

/// <summary>Keeps every formatted log line, for asserting on what was (not) logged.</summary>
internal sealed class CollectingLogger() : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, string Line)> _lines = new();

    public IReadOnlyCollection<(LogLevel Level, string Line)> Lines => _lines;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter) =>
        _lines.Enqueue((logLevel, formatter(state, exception) + (exception is null ? "" : " " + exception)));
}

internal sealed class CallbackLogger(LogLevel minimum, Action<string> write) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            write($"{logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
        }
    }
}
