using AgentCluster.Grains.Approvals;

namespace AgentCluster.Silo.Storage.Approvals;

/// <summary>The inbox table on PostgreSQL or SQLite.</summary>
internal sealed class SqlApprovalInboxStore(DatabaseConnections connections) : IApprovalInboxStore
{
    public async Task<IReadOnlyList<InboxEntry>> LoadAsync(string tenant, CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT approval_id, session_id FROM agentcluster_approval_inbox
            WHERE tenant = @tenant ORDER BY created_at_ms, approval_id
            """;
        command.AddParameter("tenant", tenant);
        var entries = new List<InboxEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            entries.Add(new InboxEntry(reader.GetString(0), reader.GetString(1)));
        return entries;
    }

    public async Task AddAsync(string tenant, InboxEntry entry, DateTimeOffset createdAt, CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO agentcluster_approval_inbox (tenant, approval_id, session_id, created_at_ms)
            VALUES (@tenant, @approval, @session, @created)
            ON CONFLICT (tenant, approval_id) DO NOTHING
            """;
        command.AddParameter("tenant", tenant);
        command.AddParameter("approval", entry.Approval);
        command.AddParameter("session", entry.Session);
        command.AddParameter("created", createdAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(ct);
    }

    public async Task RemoveAsync(string tenant, string approvalId, CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM agentcluster_approval_inbox WHERE tenant = @tenant AND approval_id = @approval";
        command.AddParameter("tenant", tenant);
        command.AddParameter("approval", approvalId);
        await command.ExecuteNonQueryAsync(ct);
    }
}
