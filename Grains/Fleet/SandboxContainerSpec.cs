using System.Globalization;
using Docker.DotNet.Models;

namespace AgentCluster.Grains.Fleet;

/// <summary>
/// Turns a <see cref="SandboxSpec"/> into the one container shape the fleet runs: read-only root,
/// capped tmpfs for /tmp and the cache, no capabilities but CHOWN/SETUID/SETGID, no new
/// privileges, the strict seccomp profile, uid 1001, an init, memory and pids limits, and no
/// mounts, ports or network but the host's internal one.
/// </summary>
public sealed class SandboxContainerSpec(string networkName, SeccompProfile seccomp, SandboxLimits limits)
{
    public const string User = "1001:1001";
    public const string TmpPath = "/tmp";
    public const string CachePath = "/home/agent/.cache";
    public static readonly IReadOnlyList<string> CapAdd = ["CHOWN", "SETUID", "SETGID"];

    public string NetworkName => networkName;

    public static string ContainerName(string sessionId) => "agentcluster-" + sessionId;

    public IReadOnlyList<string> Validate(SandboxSpec spec, DateTimeOffset now) =>
        SandboxSpecValidation.Errors(spec, limits, now);

    public CreateContainerParameters Build(SandboxSpec spec, DateTimeOffset now)
    {
        var errors = Validate(spec, now);
        if (errors.Count > 0)
            throw new InvalidSandboxSpecException(errors);

        var ttlSeconds = (long)Math.Ceiling((spec.Deadline - now).TotalSeconds);
        return new CreateContainerParameters
        {
            // The name makes a second launch for the same session fail instead of running twice.
            Name = ContainerName(spec.SessionId),
            Image = spec.Image,
            User = User,
            Env =
            [
                $"SESSION_ID={spec.SessionId}",
                $"SESSION_TTL_SECONDS={ttlSeconds.ToString(CultureInfo.InvariantCulture)}",
            ],
            Labels = new Dictionary<string, string>
            {
                [SandboxLabels.Session] = spec.SessionId,
                [SandboxLabels.Tenant] = spec.Tenant,
                [SandboxLabels.Deadline] = spec.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            },
            HostConfig = HostConfig(spec),
        };
    }

    private HostConfig HostConfig(SandboxSpec spec) => new()
    {
        ReadonlyRootfs = true,
        Tmpfs = new Dictionary<string, string>
        {
            [TmpPath] = TmpfsOptions(spec.TmpSizeBytes, "1777", owner: null),
            // Owned by the sandbox user: a root-owned 0700 cache would be of no use to it.
            [CachePath] = TmpfsOptions(spec.CacheSizeBytes, "0700", owner: "1001"),
        },
        SecurityOpt = ["no-new-privileges:true", "seccomp=" + seccomp.Json],
        CapDrop = ["ALL"],
        CapAdd = [.. CapAdd],
        Init = true,
        Memory = spec.MemoryBytes,
        // Equal to Memory: no swap on top of the limit.
        MemorySwap = spec.MemoryBytes,
        PidsLimit = spec.PidsLimit,
        NetworkMode = networkName,
        Privileged = false,
        PublishAllPorts = false,
        IpcMode = "private",
        // Never restarted by the daemon: a sandbox that died stays dead until reconcile removes it.
        RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No },
    };

    private static string TmpfsOptions(long sizeBytes, string mode, string? owner) =>
        $"rw,noexec,nosuid,nodev,size={sizeBytes.ToString(CultureInfo.InvariantCulture)},mode={mode}"
        + (owner is null ? "" : $",uid={owner},gid={owner}");
}
