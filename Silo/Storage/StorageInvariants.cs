using AgentCluster.Grains.Hosting;

namespace AgentCluster.Silo.Storage;

/// <summary>The ADO.NET invariant names the Orleans providers use to find each driver.</summary>
public static class StorageInvariants
{
    public const string Npgsql = "Npgsql";

    // Despite the name, Orleans 10.4 resolves this key to Microsoft.Data.Sqlite's SqliteFactory;
    // "Microsoft.Data.Sqlite" itself is not a key its providers know (KeyNotFoundException at start).
    public const string Sqlite = "System.Data.SQLite";

    public static string AdoInvariant(this StorageOptions storage) =>
        storage.IsPostgres ? Npgsql
        : storage.IsSqlite ? Sqlite
        : throw UnknownProvider(storage);

    internal static InvalidOperationException UnknownProvider(StorageOptions storage) =>
        new($"unknown storage provider '{storage.Provider}' (expected '{StorageOptions.Sqlite}' or '{StorageOptions.Postgres}')");
}
