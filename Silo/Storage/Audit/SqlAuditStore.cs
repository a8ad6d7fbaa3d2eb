using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using AgentCluster.Audit;
using AgentCluster.Grains.Audit;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AgentCluster.Silo.Storage.Audit;

/// <summary>
/// The audit table on PostgreSQL or SQLite. The SQL is the same on both; opening a connection,
/// recognising a duplicate key and how a batch of rows is inserted differ.
/// </summary>
internal sealed class SqlAuditStore(DatabaseConnections connections) : IAuditStore
{
    private const string Columns = "tenant, seq, at_ms, actor, kind, subject, outcome, reason, detail, prev_hash, hash";

    // Keeps one statement well under both drivers' parameter limits.
    private const int RowsPerStatement = 500;

    public async Task<AuditHead> ReadHeadAsync(string tenant, CancellationToken ct = default) =>
        (await ReadHeadsAsync(tenant, ct)).SingleOrDefault() ?? new AuditHead(tenant, 0, AuditChain.Genesis, 0);

    public async Task<IReadOnlyList<AuditHead>> ReadHeadsAsync(string? tenant, CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a.tenant, a.seq, a.hash, a.at_ms FROM agentcluster_audit a
            JOIN (SELECT tenant, max(seq) AS seq FROM agentcluster_audit
                  WHERE @tenant IS NULL OR tenant = @tenant GROUP BY tenant) h
              ON a.tenant = h.tenant AND a.seq = h.seq
            ORDER BY a.tenant
            """;
        command.AddParameter("tenant", tenant);
        var heads = new List<AuditHead>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            heads.Add(new AuditHead(reader.GetString(0), reader.GetInt64(1), reader.GetString(2).Trim(), reader.GetInt64(3)));
        return heads;
    }

    public async Task AppendAsync(IReadOnlyList<AuditRecord> rows, CancellationToken ct = default)
    {
        if (rows.Count == 0)
            return;
        // SQLite's async calls run synchronously: on the caller's thread, its commit (a flush to
        // disk) would hold the log grain's turn, so appends that came meanwhile could not join the
        // next batch and each durable one would get a commit of its own.
        if (connections.IsSqlite)
            await Task.Run(() => Insert(rows, ct), ct);
        else
            await Insert(rows, ct);
    }

    private async Task Insert(IReadOnlyList<AuditRecord> rows, CancellationToken ct)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        try
        {
            if (connection is SqliteConnection)
                await InsertEach(connection, tx, rows, ct);
            else
                await InsertMany(connection, tx, rows, ct);
            await tx.CommitAsync(ct);
        }
        catch (DbException e) when (IsDuplicateKey(e))
        {
            throw new AuditSeqConflictException(rows[0].Tenant, e);
        }
    }

    public async IAsyncEnumerable<AuditRecord> ReadAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        // Newest-first is for tails, which may span tenants: order by time then. Exports and
        // verification need each tenant's chain in seq order.
        var order = query.Newest ? "at_ms DESC, seq DESC" : "tenant ASC, seq ASC";
        command.CommandText = $"""
            SELECT {Columns} FROM agentcluster_audit
            WHERE (@tenant IS NULL OR tenant = @tenant) AND seq > @after AND (@since IS NULL OR at_ms >= @since)
            ORDER BY {order}
            {(query.Limit is { } limit ? $"LIMIT {limit}" : "")}
            """;
        command.AddParameter("tenant", query.Tenant);
        command.AddParameter("after", query.AfterSeq);
        command.AddParameter("since", query.SinceMs, DbType.Int64);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            yield return new AuditRecord(reader.GetInt64(1), reader.GetInt64(2), reader.GetString(0), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetString(8),
                reader.GetString(9).Trim(), reader.GetString(10).Trim());
        }
    }

    /// <summary>PostgreSQL: a few multi-row statements, one round trip each.</summary>
    private static async Task InsertMany(DbConnection connection, DbTransaction tx, IReadOnlyList<AuditRecord> rows, CancellationToken ct)
    {
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = tx;
            var sql = new StringBuilder($"INSERT INTO agentcluster_audit ({Columns}) VALUES ");
            for (var i = 0; i < chunk.Length; i++)
            {
                var values = Values(chunk[i]);
                sql.Append(i == 0 ? "" : ", ").Append('(');
                for (var c = 0; c < values.Length; c++)
                {
                    var name = $"p{i}_{c}";
                    sql.Append(c == 0 ? "@" : ", @").Append(name);
                    command.AddParameter(name, values[c]);
                }
                sql.Append(')');
            }
            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// SQLite: one prepared single-row statement, run per row. SQLite finds a named parameter by
    /// walking the statement's list, so one statement with thousands of them costs the square of
    /// their number; in process there is no round trip to save.
    /// </summary>
    private static async Task InsertEach(DbConnection connection, DbTransaction tx, IReadOnlyList<AuditRecord> rows, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        var names = Columns.Split(", ");
        command.CommandText = $"INSERT INTO agentcluster_audit ({Columns}) VALUES ({string.Join(", ", names.Select(n => "@" + n))})";
        var parameters = names.Select(n =>
        {
            var parameter = command.CreateParameter();
            // Named as in the statement: a bare name costs a failed lookup and a retry per prefix, per bind.
            parameter.ParameterName = "@" + n;
            command.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        await command.PrepareAsync(ct);
        foreach (var row in rows)
        {
            var values = Values(row);
            for (var c = 0; c < values.Length; c++)
                parameters[c].Value = values[c];
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static object[] Values(AuditRecord r) =>
        [r.Tenant, r.Seq, r.AtMs, r.Actor, r.Kind, r.Subject, r.Outcome, r.Reason, r.DetailJson, r.PrevHash, r.Hash];

    private static bool IsDuplicateKey(DbException e) => e switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        // SQLITE_CONSTRAINT (19); the primary key is the only constraint an append can break twice.
        SqliteException lite => lite.SqliteErrorCode == 19 && e.Message.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
