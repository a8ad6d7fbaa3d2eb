using System.Security.Cryptography;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Hosting;

namespace AgentCluster.Silo.Storage.Secrets;

internal static class VaultKeys
{
    /// <summary>
    /// The configured keys; with none, the embedded single node makes one in <c>{DataDir}/vault.key</c>
    /// (mode 0600). A PostgreSQL cluster gets none made up: every silo must share the operator's key.
    /// </summary>
    public static VaultKeyRing Load(IConfiguration configuration, AgentClusterOptions options)
    {
        if (EmbeddedKeyFile(configuration, options) is not { } file)
            return VaultKeyRing.FromConfiguration(configuration);

        if (!File.Exists(file))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            var line = $"local-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}={Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}\n";
            var stream = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                stream.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var writer = new StreamWriter(new FileStream(file, stream));
            writer.Write(line);
        }
        var vault = configuration.GetSection(VaultOptions.Section).Get<VaultOptions>() ?? new VaultOptions();
        vault.KeyFile = file;
        return new VaultKeyRing(vault, Environment.GetEnvironmentVariable(VaultOptions.EnvironmentVariable));
    }

    /// <summary>The embedded node's own key file, when no key is configured; null otherwise.</summary>
    public static string? EmbeddedKeyFile(IConfiguration configuration, AgentClusterOptions options) =>
        VaultKeyRing.FromConfiguration(configuration).HasKey || !options.Storage.IsSqlite
            ? null
            : Path.GetFullPath(Path.Combine(options.DataDir, "vault.key"));
}
