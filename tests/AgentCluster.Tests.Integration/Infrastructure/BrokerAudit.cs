using Microsoft.Data.Sqlite;

namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>Reads a node's audit rows straight from its SQLite file, as an auditor with a copy would.</summary>
internal static class BrokerAudit
{
    public static Task<List<(string Kind, string Outcome, string Reason, string Detail)>> Rows(string dataDir, string tenant) =>
        Rows(dataDir, tenant, null);

    /// <summary>The tenant's rows about one subject (a session, an approval), or all of them for a null subject.</summary>
    public static async Task<List<(string Kind, string Outcome, string Reason, string Detail)>> Rows(string dataDir, string tenant, string? subject)
    {
        await using var db = new SqliteConnection($"Data Source={Path.Combine(dataDir, "agentcluster.db")};Mode=ReadOnly");
        await db.OpenAsync();
        await using var command = new SqliteCommand(
            "SELECT kind, outcome, reason, detail FROM agentcluster_audit WHERE tenant = @t AND (@s IS NULL OR subject = @s) ORDER BY seq", db);
        command.Parameters.AddWithValue("t", tenant);
        command.Parameters.AddWithValue("s", (object?)subject ?? DBNull.Value);
        var rows = new List<(string, string, string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        return rows;
    }

    /// <summary>Every text and blob cell of every table, for hunting a value that must not be there.</summary>
    public static async Task<List<string>> EveryCell(string dataDir)
    {
        await using var db = new SqliteConnection($"Data Source={Path.Combine(dataDir, "agentcluster.db")};Mode=ReadOnly");
        await db.OpenAsync();
        var tables = new List<string>();
        await using (var list = new SqliteCommand("SELECT name FROM sqlite_master WHERE type = 'table'", db))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        var cells = new List<string>();
        foreach (var table in tables)
        {
            await using var select = new SqliteCommand($"SELECT * FROM \"{table}\"", db);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var c = 0; c < reader.FieldCount; c++)
                {
                    cells.Add(reader.GetValue(c) switch
                    {
                        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes) + "|" + Convert.ToBase64String(bytes),
                        var v => v.ToString() ?? "",
                    });
                }
            }
        }
        return cells;
    }
}
