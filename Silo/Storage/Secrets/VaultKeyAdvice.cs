using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Hosting;
using Microsoft.Extensions.Options;

namespace AgentCluster.Silo.Storage.Secrets;

/// <summary>
/// What <c>secrets rotate-key</c> says besides its count: a rotation only moves secrets to the active key,
/// so one that found nothing to move tells how to add a key here, and one that moved some what comes next.
/// </summary>
internal sealed class VaultKeyAdvice(IConfiguration configuration, IOptions<AgentClusterOptions> options)
{
    public string After(int reencrypted, string activeKeyId)
    {
        var file = VaultKeys.EmbeddedKeyFile(configuration, options.Value);
        if (reencrypted > 0)
        {
            return $"every secret is now under {activeKeyId}; an older key may be dropped from "
                + (file ?? $"{VaultOptions.Section}:Keys (or {VaultOptions.EnvironmentVariable})") + " once every silo runs with this one";
        }
        var add = file is not null
            ? $"append a line NEWID=BASE64 of 32 random bytes to {file} (the last line is the active key), "
                + $"e.g. echo \"k2=$(head -c 32 /dev/urandom | base64)\" >> {file}"
            : $"add {VaultOptions.Section}:Keys:NEWID=BASE64 of 32 random bytes and set {VaultOptions.Section}:ActiveKeyId=NEWID on every silo, keeping the old key";
        return $"nothing to re-encrypt: every secret is already under the active key {activeKeyId}. To rotate, first {add}; "
            + "restart the silo, then run secrets rotate-key again";
    }
}
