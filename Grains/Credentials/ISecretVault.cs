namespace AgentCluster.Grains.Credentials;

/// <summary>Secrets at rest, encrypted with AES-256-GCM under a key id each row records.</summary>
public interface ISecretVault
{
    Task<SecretMetadata> PutAsync(SecretMetadata metadata, string value, CancellationToken ct = default);

    Task<IReadOnlyList<SecretMetadata>> ListAsync(string tenant, CancellationToken ct = default);

    Task<SecretMetadata?> FindAsync(string tenant, string resource, CancellationToken ct = default);

    /// <summary>The decrypted value, for the broker's resolve only. Null when there is none.</summary>
    Task<(SecretMetadata Metadata, string Value)?> RevealAsync(string tenant, string resource, CancellationToken ct = default);

    Task<bool> RemoveAsync(string tenant, string resource, CancellationToken ct = default);

    /// <summary>Re-encrypts every row not under the active key; returns how many.</summary>
    Task<int> RotateAsync(CancellationToken ct = default);

    string ActiveKeyId { get; }
}

/// <summary>The vault cannot encrypt or decrypt: no key, or a row's key is not configured.</summary>
public sealed class VaultKeyException(string message) : Exception(message);
