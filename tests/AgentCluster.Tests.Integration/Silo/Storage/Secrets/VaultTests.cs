using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Hosting;
using AgentCluster.Silo.Storage;
using AgentCluster.Silo.Storage.Secrets;
using AgentCluster.Tests.Integration.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentCluster.Tests.Integration.Silo.Storage.Secrets;

public sealed class VaultTests
{
    private const string Value = "ghp_SuperSecretGitHubToken1234567890";

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static SqlSecretVault Vault(DatabaseConnections connections, string active, params (string Id, string Key)[] keys) =>
        new(connections, new SecretCipher(new VaultKeyRing(
            new VaultOptions { ActiveKeyId = active, Keys = keys.ToDictionary(k => k.Id, k => k.Key) }, null)), TimeProvider.System);

    private static SecretMetadata Github(string tenant) =>
        new(tenant, "github", ["api.github.com"], ["read", "write"], "Authorization", "token {secret}", null, "", default);

    [Fact]
    public async Task The_table_holds_only_ciphertext_and_rotation_keeps_every_secret_readable()
    {
        using var dir = new TempDir();
        var storage = new StorageOptions { Provider = StorageOptions.Sqlite };
        var connectionString = $"Data Source={dir.Sub("vault.db")}";
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(storage, connectionString, CancellationToken.None);
        await using var connections = new DatabaseConnections(storage, connectionString);
        var (k1, k2) = (NewKey(), NewKey());

        var first = Vault(connections, "k1", ("k1", k1));
        await first.PutAsync(Github("t1"), Value);
        await first.PutAsync(Github("t2"), Value + "-t2");

        await using (var db = new SqliteConnection(connectionString))
        {
            await db.OpenAsync();
            await using var read = new SqliteCommand("SELECT ciphertext, nonce, tag, key_id FROM agentcluster_secrets", db);
            await using var rows = await read.ExecuteReaderAsync();
            while (await rows.ReadAsync())
            {
                var cipher = (byte[])rows[0];
                Assert.DoesNotContain(Value, Encoding.UTF8.GetString(cipher));
                Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(Value)), Convert.ToBase64String(cipher));
                Assert.Equal("k1", rows.GetString(3));
            }
        }

        var rotating = Vault(connections, "k2", ("k1", k1), ("k2", k2));
        Assert.Equal(2, await rotating.RotateAsync());
        Assert.Equal(0, await rotating.RotateAsync());

        var afterRotation = Vault(connections, "k2", ("k2", k2));
        Assert.Equal(Value, (await afterRotation.RevealAsync("t1", "github"))!.Value.Value);
        Assert.Equal(Value + "-t2", (await afterRotation.RevealAsync("t2", "github"))!.Value.Value);
        Assert.All(await afterRotation.ListAsync("t1"), m => Assert.Equal("k2", m.KeyId));
        await Assert.ThrowsAsync<VaultKeyException>(() => Vault(connections, "k1", ("k1", k1)).RevealAsync("t1", "github"));
    }

    /// <summary>
    /// A rotation reads a row, and before it writes the row back under the new key a <c>secrets put</c>
    /// replaces it: the write-back must not bring the old value back. Interleaved by hand, so the
    /// race happens every run.
    /// </summary>
    [Theory]
    [InlineData(StorageOptions.Sqlite)]
    [InlineData(StorageOptions.Postgres)]
    public async Task A_rotation_never_writes_back_a_value_that_a_concurrent_put_replaced(string provider)
    {
        using var dir = new TempDir();
        await using var db = provider == StorageOptions.Postgres ? await PostgresDatabase.CreateAsync() : null;
        var storage = new StorageOptions { Provider = provider };
        var connectionString = db?.ConnectionString ?? $"Data Source={dir.Sub("vault.db")}";
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(storage, connectionString, CancellationToken.None);
        await using var connections = new DatabaseConnections(storage, connectionString);
        var (k1, k2) = (NewKey(), NewKey());
        await Vault(connections, "k1", ("k1", k1)).PutAsync(Github("t1"), Value);
        await Vault(connections, "k1", ("k1", k1)).PutAsync(Github("t2"), Value + "-t2");

        var rotating = Vault(connections, "k2", ("k1", k1), ("k2", k2));
        var stale = await rotating.ReadStaleAsync();
        Assert.Equal(2, stale.Count);
        // Between the rotation's read and its write: a silo still on k1 replaces t1's secret.
        await Vault(connections, "k1", ("k1", k1)).PutAsync(Github("t1") with { Hosts = ["api.github.com", "uploads.github.com"] }, "ghp_Replaced");

        Assert.False(await rotating.ReencryptAsync(stale[0]));
        Assert.True(await rotating.ReencryptAsync(stale[1]));

        var reader = Vault(connections, "k2", ("k1", k1), ("k2", k2));
        var (metadata, value) = (await reader.RevealAsync("t1", "github"))!.Value;
        Assert.Equal("ghp_Replaced", value);
        Assert.Equal(["api.github.com", "uploads.github.com"], metadata.Hosts.ToArray());
        Assert.Equal(Value + "-t2", (await reader.RevealAsync("t2", "github"))!.Value.Value);

        // The replaced row is still under k1; the next rotation moves it, value and all.
        Assert.Equal(1, await rotating.RotateAsync());
        Assert.Equal("ghp_Replaced", (await Vault(connections, "k2", ("k2", k2)).RevealAsync("t1", "github"))!.Value.Value);
    }

    [Fact]
    public async Task A_ciphertext_moved_to_another_tenant_does_not_decrypt()
    {
        using var dir = new TempDir();
        var storage = new StorageOptions { Provider = StorageOptions.Sqlite };
        var connectionString = $"Data Source={dir.Sub("vault.db")}";
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(storage, connectionString, CancellationToken.None);
        await using var connections = new DatabaseConnections(storage, connectionString);
        var vault = Vault(connections, "k1", ("k1", NewKey()));
        await vault.PutAsync(Github("victim"), Value);
        await vault.PutAsync(Github("attacker"), "placeholder");

        await using (var db = new SqliteConnection(connectionString))
        {
            await db.OpenAsync();
            await using var copy = new SqliteCommand("""
                UPDATE agentcluster_secrets SET (nonce, ciphertext, tag) =
                  (SELECT nonce, ciphertext, tag FROM agentcluster_secrets WHERE tenant = 'victim')
                WHERE tenant = 'attacker'
                """, db);
            await copy.ExecuteNonQueryAsync();
        }

        await Assert.ThrowsAnyAsync<CryptographicException>(() => vault.RevealAsync("attacker", "github"));
        Assert.Equal(Value, (await vault.RevealAsync("victim", "github"))!.Value.Value);
    }
}
