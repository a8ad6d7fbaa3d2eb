using System.Security.Cryptography;
using System.Text;

namespace AgentCluster.Grains.Credentials;

/// <summary>A sealed secret: what the vault table stores instead of the value.</summary>
public sealed record SealedSecret(string KeyId, byte[] Nonce, byte[] Ciphertext, byte[] Tag);

/// <summary>
/// AES-256-GCM. The associated data binds each ciphertext to its tenant, resource and key, so a
/// row copied under another tenant or resource fails to decrypt rather than leaking.
/// </summary>
public sealed class SecretCipher(VaultKeyRing keys)
{
    public string ActiveKeyId => keys.ActiveKeyId;

    public SealedSecret Seal(string tenant, string resource, string value)
    {
        if (!keys.HasKey)
            throw new VaultKeyException($"the vault has no key: set {VaultOptions.EnvironmentVariable}=id=base64 or {VaultOptions.Section}:Keys");
        var plain = Encoding.UTF8.GetBytes(value);
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var cipher = new byte[plain.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using var aes = new AesGcm(keys.Get(keys.ActiveKeyId), tag.Length);
        aes.Encrypt(nonce, plain, cipher, tag, Associated(tenant, resource, keys.ActiveKeyId));
        CryptographicOperations.ZeroMemory(plain);
        return new SealedSecret(keys.ActiveKeyId, nonce, cipher, tag);
    }

    public string Open(string tenant, string resource, SealedSecret sealedSecret)
    {
        var plain = new byte[sealedSecret.Ciphertext.Length];
        using var aes = new AesGcm(keys.Get(sealedSecret.KeyId), sealedSecret.Tag.Length);
        aes.Decrypt(sealedSecret.Nonce, sealedSecret.Ciphertext, sealedSecret.Tag, plain, Associated(tenant, resource, sealedSecret.KeyId));
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] Associated(string tenant, string resource, string keyId) =>
        Encoding.UTF8.GetBytes($"agentcluster-secret\n{tenant}\n{resource}\n{keyId}");
}
