using Microsoft.Extensions.Configuration;

namespace AgentCluster.Grains.Credentials;

public sealed class VaultOptions
{
    public const string Section = "AgentCluster:Vault";
    public const string EnvironmentVariable = "AGENTCLUSTER_VAULT_KEY";

    /// <summary>The key new and rotated rows are encrypted with.</summary>
    public string ActiveKeyId { get; set; } = "";

    /// <summary>Key id → base64 of 32 bytes. Old keys stay here until a rotation has moved every row off them.</summary>
    public Dictionary<string, string> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A file of <c>id=base64</c> lines; the last one is active unless ActiveKeyId says otherwise.</summary>
    public string KeyFile { get; set; } = "";
}

/// <summary>
/// The vault's keys, from configuration, <c>AGENTCLUSTER_VAULT_KEY</c> (<c>id=base64</c>) or a key file.
/// Keys are never logged; only their ids are.
/// </summary>
public sealed class VaultKeyRing
{
    private readonly Dictionary<string, byte[]> _keys = new(StringComparer.Ordinal);

    public VaultKeyRing(VaultOptions options, string? environmentKey)
    {
        string? last = null;
        foreach (var (id, value) in options.Keys)
            Add(id, value);
        if (options.KeyFile.Length > 0 && File.Exists(options.KeyFile))
        {
            foreach (var line in File.ReadAllLines(options.KeyFile).Where(l => l.Contains('=', StringComparison.Ordinal)))
                last = Add(line[..line.IndexOf('=', StringComparison.Ordinal)].Trim(), line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim());
        }
        if (environmentKey is { Length: > 0 } env && env.Contains('=', StringComparison.Ordinal))
            last = Add(env[..env.IndexOf('=', StringComparison.Ordinal)], env[(env.IndexOf('=', StringComparison.Ordinal) + 1)..]);

        ActiveKeyId = options.ActiveKeyId.Length > 0 ? options.ActiveKeyId : last ?? _keys.Keys.LastOrDefault() ?? "";
        if (ActiveKeyId.Length > 0 && !_keys.ContainsKey(ActiveKeyId))
            throw new VaultKeyException($"the active vault key {ActiveKeyId} is not configured");
    }

    public string ActiveKeyId { get; }

    public bool HasKey => ActiveKeyId.Length > 0;

    public byte[] Get(string id) =>
        _keys.TryGetValue(id, out var key) ? key : throw new VaultKeyException($"vault key {id} is not configured");

    public static VaultKeyRing FromConfiguration(IConfiguration configuration) =>
        new(configuration.GetSection(VaultOptions.Section).Get<VaultOptions>() ?? new VaultOptions(),
            Environment.GetEnvironmentVariable(VaultOptions.EnvironmentVariable));

    private string Add(string id, string base64)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new VaultKeyException($"vault key {id} is not base64");
        }
        if (key.Length != 32)
            throw new VaultKeyException($"vault key {id} must be 32 bytes (AES-256), not {key.Length}");
        _keys[id] = key;
        return id;
    }
}
