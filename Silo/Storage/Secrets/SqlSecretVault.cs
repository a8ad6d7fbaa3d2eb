using System.Data;
using System.Data.Common;
using System.Text.Json;
using AgentCluster.Grains.Credentials;

namespace AgentCluster.Silo.Storage.Secrets;

/// <summary>The vault table on PostgreSQL or SQLite; values go in and out only through <see cref="SecretCipher"/>.</summary>
internal sealed class SqlSecretVault(DatabaseConnections connections, SecretCipher cipher, TimeProvider clock) : ISecretVault
{
    /// <summary>Rounds of a rotation: a row a put replaced under an old key is moved in the next one.</summary>
    private const int RotationPasses = 3;

    private const string Columns =
        "tenant, resource, hosts, actions, header, format, basic_user, key_id, nonce, ciphertext, tag, updated_at_ms, methods, allow_plain_http";

    public string ActiveKeyId => cipher.ActiveKeyId;

    public async Task<SecretMetadata> PutAsync(SecretMetadata metadata, string value, CancellationToken ct = default)
    {
        var sealedSecret = cipher.Seal(metadata.Tenant, metadata.Resource, value);
        var stored = metadata with { KeyId = sealedSecret.KeyId, UpdatedAt = clock.GetUtcNow() };
        await using var connection = await connections.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO agentcluster_secrets ({Columns})
            VALUES (@tenant, @resource, @hosts, @actions, @header, @format, @basic_user, @key_id, @nonce, @ciphertext, @tag, @updated,
                @methods, @allow_plain_http)
            ON CONFLICT (tenant, resource) DO UPDATE SET hosts = excluded.hosts, actions = excluded.actions,
                header = excluded.header, format = excluded.format, basic_user = excluded.basic_user, key_id = excluded.key_id,
                nonce = excluded.nonce, ciphertext = excluded.ciphertext, tag = excluded.tag, updated_at_ms = excluded.updated_at_ms,
                methods = excluded.methods, allow_plain_http = excluded.allow_plain_http
            """;
        AddRow(command, stored, sealedSecret);
        await command.ExecuteNonQueryAsync(ct);
        return stored;
    }

    public async Task<IReadOnlyList<SecretMetadata>> ListAsync(string tenant, CancellationToken ct = default) =>
        [.. (await Read("tenant = @tenant", tenant, null, ct)).Select(r => r.Metadata)];

    public async Task<SecretMetadata?> FindAsync(string tenant, string resource, CancellationToken ct = default) =>
        (await Read("tenant = @tenant AND resource = @resource", tenant, resource, ct)).SingleOrDefault().Metadata;

    public async Task<(SecretMetadata Metadata, string Value)?> RevealAsync(string tenant, string resource, CancellationToken ct = default)
    {
        var rows = await Read("tenant = @tenant AND resource = @resource", tenant, resource, ct);
        return rows.Count == 0 ? null : (rows[0].Metadata, cipher.Open(tenant, resource, rows[0].Sealed));
    }

    public async Task<bool> RemoveAsync(string tenant, string resource, CancellationToken ct = default)
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM agentcluster_secrets WHERE tenant = @tenant AND resource = @resource";
        command.AddParameter("tenant", tenant);
        command.AddParameter("resource", resource);
        return await command.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>
    /// Moves every row to the active key. A row that a put replaced after it was read is left as the
    /// put wrote it; if that put used an old key, the next pass moves the new value.
    /// </summary>
    public async Task<int> RotateAsync(CancellationToken ct = default)
    {
        var moved = 0;
        for (var pass = 0; pass < RotationPasses; pass++)
        {
            var stale = await ReadStaleAsync(ct);
            if (stale.Count == 0)
                break;
            foreach (var row in stale)
                moved += await ReencryptAsync(row, ct) ? 1 : 0;
        }
        return moved;
    }

    /// <summary>The rows a rotation moves: every one not under the active key.</summary>
    internal Task<List<(SecretMetadata Metadata, SealedSecret Sealed)>> ReadStaleAsync(CancellationToken ct = default) =>
        Read("key_id <> @key", cipher.ActiveKeyId, null, ct, parameter: "key");

    /// <summary>
    /// Writes one row read by <see cref="ReadStaleAsync"/> back under the active key, only if it is
    /// still exactly what was read: every put seals with a fresh nonce, so a put in between fails the
    /// WHERE, and its value stays. False when that happened (or the row is gone).
    /// </summary>
    internal async Task<bool> ReencryptAsync((SecretMetadata Metadata, SealedSecret Sealed) row, CancellationToken ct = default)
    {
        var (metadata, read) = row;
        var resealed = cipher.Seal(metadata.Tenant, metadata.Resource, cipher.Open(metadata.Tenant, metadata.Resource, read));
        await using var connection = await connections.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE agentcluster_secrets SET key_id = @key_id, nonce = @nonce, ciphertext = @ciphertext, tag = @tag
            WHERE tenant = @tenant AND resource = @resource
              AND key_id = @read_key_id AND nonce = @read_nonce AND ciphertext = @read_ciphertext AND tag = @read_tag
            """;
        command.AddParameter("tenant", metadata.Tenant);
        command.AddParameter("resource", metadata.Resource);
        foreach (var (prefix, s) in new[] { ("", resealed), ("read_", read) })
        {
            command.AddParameter(prefix + "key_id", s.KeyId);
            command.AddParameter(prefix + "nonce", s.Nonce, DbType.Binary);
            command.AddParameter(prefix + "ciphertext", s.Ciphertext, DbType.Binary);
            command.AddParameter(prefix + "tag", s.Tag, DbType.Binary);
        }
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    private async Task<List<(SecretMetadata Metadata, SealedSecret Sealed)>> Read(
        string where, string first, string? resource, CancellationToken ct, string parameter = "tenant")
    {
        await using var connection = await connections.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM agentcluster_secrets WHERE {where} ORDER BY tenant, resource";
        command.AddParameter(parameter, first);
        if (resource is not null)
            command.AddParameter("resource", resource);
        var rows = new List<(SecretMetadata, SealedSecret)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var metadata = new SecretMetadata(reader.GetString(0), reader.GetString(1),
                [.. JsonSerializer.Deserialize<string[]>(reader.GetString(2))!], [.. JsonSerializer.Deserialize<string[]>(reader.GetString(3))!],
                Nullable(reader, 4), Nullable(reader, 5), Nullable(reader, 6), reader.GetString(7),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(11)))
            {
                Methods = [.. JsonSerializer.Deserialize<string[]>(reader.GetString(12))!],
                AllowPlainHttp = reader.GetBoolean(13),
            };
            rows.Add((metadata, new SealedSecret(reader.GetString(7), (byte[])reader[8], (byte[])reader[9], (byte[])reader[10])));
        }
        return rows;
    }

    private static string? Nullable(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static void AddRow(DbCommand command, SecretMetadata m, SealedSecret s)
    {
        command.AddParameter("tenant", m.Tenant);
        command.AddParameter("resource", m.Resource);
        command.AddParameter("hosts", JsonSerializer.Serialize(m.Hosts.ToArray()));
        command.AddParameter("actions", JsonSerializer.Serialize(m.Actions.ToArray()));
        command.AddParameter("header", m.Header, DbType.String);
        command.AddParameter("format", m.Format, DbType.String);
        command.AddParameter("basic_user", m.BasicUser, DbType.String);
        command.AddParameter("key_id", s.KeyId);
        command.AddParameter("nonce", s.Nonce, DbType.Binary);
        command.AddParameter("ciphertext", s.Ciphertext, DbType.Binary);
        command.AddParameter("tag", s.Tag, DbType.Binary);
        command.AddParameter("updated", m.UpdatedAt.ToUnixTimeMilliseconds());
        command.AddParameter("methods", JsonSerializer.Serialize(m.Methods.IsDefault ? [] : m.Methods.ToArray()));
        command.AddParameter("allow_plain_http", m.AllowPlainHttp);
    }
}
