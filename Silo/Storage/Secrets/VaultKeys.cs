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
        var ring = VaultKeyRing.FromConfiguration(configuration);
        if (ring.HasKey || !options.Storage.IsSqlite)
            return ring;

        var file = Path.GetFullPath(Path.Combine(options.DataDir, "vault.key"));
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
}
