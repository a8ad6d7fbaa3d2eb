using System.Collections.Immutable;
using System.Globalization;
using Docker.DotNet.Models;

namespace AgentCluster.Grains.Fleet;

/// <summary>
/// Turns a <see cref="SandboxSpec"/> into the one container shape the fleet runs: read-only root,
/// capped tmpfs for /tmp and the cache, no capabilities but CHOWN/SETUID/SETGID, no new
/// privileges, the strict seccomp profile, uid 1001, an init, memory, pids and CPU limits, open
/// file and process ulimits, a capped /dev/shm, IPC and cgroup namespaces of its own, and no
/// mounts, ports or network but the host's internal one.
/// </summary>
/// <param name="desktopBoostNanoCpus">A desktop's cap while it starts (<see cref="StartBoostOptions"/>); 0 for none.</param>
public sealed partial class SandboxContainerSpec(string networkName, SeccompProfile seccomp, SandboxLimits limits,
    SeccompProfile? desktopSeccomp = null, long desktopBoostNanoCpus = 0)
{
    public const string User = "1001:1001";
    public const string TmpPath = "/tmp";
    public const string CachePath = "/home/agent/.cache";
    public static readonly IReadOnlyList<string> CapAdd = ["CHOWN", "SETUID", "SETGID"];

    /// <summary>/dev/shm, where Chromium keeps its frames (Docker's 64 MiB is too little); it counts against the memory limit.</summary>
    public const long ShmSizeBytes = 256 * SandboxSpec.MiB;

    /// <summary>Open files per process, soft and hard: a browser's worth, not the daemon's 1048576.</summary>
    public const long OpenFiles = 8192;

    /// <summary>
    /// RLIMIT_NPROC, soft and hard. The kernel counts it per user, not per container: every
    /// sandbox runs as uid 1001, so this bounds them all together on a host, a backstop well above
    /// capacity × the usual pids limit. The bound of one sandbox is its pids limit.
    /// </summary>
    public const long Processes = 65536;

    public string NetworkName => networkName;

    public const string NamePrefix = "agentcluster-";

    public static string ContainerName(string sessionId) => NamePrefix + sessionId;

    public IReadOnlyList<string> Validate(SandboxSpec spec, DateTimeOffset now) =>
        SandboxSpecValidation.Errors(spec, limits, now);

    /// <summary>Both spellings: some tools read only the lower-case ones.</summary>
    public static readonly IReadOnlyList<string> ProxyVariables = ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"];

    public static IEnumerable<string> ProxyEnv(string proxyUrl) =>
        ProxyVariables.Select(name => $"{name}={proxyUrl}");

    public CreateContainerParameters Build(SandboxSpec spec, DateTimeOffset now)
    {
        var errors = Validate(spec, now);
        if (errors.Count > 0)
            throw new InvalidSandboxSpecException(errors);

        var ttlSeconds = (long)Math.Ceiling((spec.Deadline - now).TotalSeconds);
        var parameters = new CreateContainerParameters
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
                [SandboxLabels.Deadline] = SandboxContainer.DeadlineLabel(spec.Deadline),
            },
            HostConfig = HostConfig(spec),
        };
        if (spec.Desktop)
        {
            AddDesktop(parameters, spec.StartUrl);
            Boost(parameters, spec.NanoCpus);
        }
        return parameters;
    }

    /// <summary>
    /// A warm-pool container: the same host config as a session's, so exactly as hardened, with
    /// only what a session fixes left out. Docker changes neither the labels nor the environment
    /// of a created container, so those parts cannot wait for the claim:
    /// <list type="bullet">
    /// <item>Labels: the pool id stands in the session label (so every sweep that finds sandboxes
    /// by that label finds this one too), <see cref="SandboxLabels.Pool"/> names the host, there is
    /// no tenant, and the deadline is the pool's bound (<see cref="WarmPoolEntry.Lifetime"/>),
    /// which outlasts any session it may serve. The claim renames the container to the session's
    /// container name: the one mutable, engine-side record, so the binding survives every grain
    /// and a second container for the session conflicts on the name as a cold launch does.</item>
    /// <item>No SESSION_ID or SESSION_TTL_SECONDS. Writing them in at the claim would take either
    /// <c>docker exec</c> (a process the control plane starts inside an untrusted sandbox, and
    /// tens of ms on the claim) or the archive API (refused on a read-only root, and blind to the
    /// tmpfs mounts). Checked on this fleet's engines. So a pooled sandbox carries no identity:
    /// the control plane knows it by the container (name, session state) and the orchestrator
    /// gets the id from the create call. An image whose agent must read SESSION_ID from its
    /// environment is not pooled: pools are opt-in per image.</item>
    /// </list>
    /// </summary>
    public CreateContainerParameters BuildPooled(WarmPoolEntry entry, string poolId, string host, DateTimeOffset now)
    {
        // "pool" only satisfies the validation; the container gets no tenant label.
        var spec = new SandboxSpec(poolId, "pool", entry.Image, now + entry.Lifetime, entry.MemoryBytes, entry.PidsLimit,
            SandboxSpec.DefaultTmpSizeBytes, SandboxSpec.DefaultCacheSizeBytes, ImmutableDictionary<string, string>.Empty, Desktop: entry.Desktop)
        {
            NanoCpus = entry.NanoCpus,
        };
        var parameters = Build(spec, now);
        // A pooled desktop's browser waits for its claim's first page, which it opens without a typed URL.
        parameters.Env = entry.Desktop ? [$"{ComputerProtocol.ComputerRequest.WaitForClaimEnvironmentVariable}=1"] : [];
        parameters.Labels = new Dictionary<string, string>
        {
            [SandboxLabels.Session] = poolId,
            [SandboxLabels.Pool] = host,
            [SandboxLabels.Deadline] = SandboxContainer.DeadlineLabel(spec.Deadline),
        };
        // Created at its own cap: its start is off every session's path, and on a small host a
        // boosted refill takes the CPU of the sessions starting beside it (measured: a claimed
        // desktop's typed first page 1.4x as late). Its claim raises the cap (Hosts.StartBoost),
        // and the label keeps its own for its host to give back.
        parameters.HostConfig.NanoCPUs = entry.NanoCpus;
        if (entry.Desktop && DesktopBoost(entry.NanoCpus) is not null)
            parameters.Labels[SandboxLabels.Cpus] = entry.NanoCpus.ToString(CultureInfo.InvariantCulture);
        return parameters;
    }

    /// <summary>
    /// A host's canary: a sandbox's container in all but its name, labels and command. It carries
    /// no session label, so no reconcile counts or kills it; its host removes it after its run.
    /// </summary>
    public CreateContainerParameters BuildCanary(string image, string host, string script, DateTimeOffset now)
    {
        var spec = SandboxSpec.Create(CanaryName(host), "canary", image, now + TimeSpan.FromMinutes(1));
        var parameters = Build(spec, now);
        parameters.Name = CanaryName(host);
        parameters.Env = [];
        parameters.Labels = new Dictionary<string, string> { [SandboxLabels.Canary] = host };
        parameters.Entrypoint = ["/bin/sh", "-c"];
        parameters.Cmd = [script];
        return parameters;
    }

    public static string CanaryName(string host) => NamePrefix + "canary-" + host;

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
        NanoCPUs = spec.NanoCpus,
        Ulimits =
        [
            new Ulimit { Name = "nofile", Soft = OpenFiles, Hard = OpenFiles },
            new Ulimit { Name = "nproc", Soft = Processes, Hard = Processes },
        ],
        ShmSize = ShmSizeBytes,
        NetworkMode = networkName,
        // The proxy resolves names itself; a sandbox's own lookups could only leak data in names.
        // Docker's embedded resolver forwards what it does not know to this address, where
        // nothing answers, so every outside name fails to resolve and no query leaves the host.
        DNS = ["127.0.0.1"],
        Privileged = false,
        PublishAllPorts = false,
        IpcMode = "private",
        // Its own cgroup root: /proc/self/cgroup and /sys/fs/cgroup show neither the host's layout
        // nor the container's id. The daemon's default is "host" on cgroup v1 (API 1.41 sets it).
        CgroupnsMode = "private",
        // Never restarted by the daemon: a sandbox that died stays dead until reconcile removes it.
        RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No },
    };

    private static string TmpfsOptions(long sizeBytes, string mode, string? owner) =>
        $"rw,noexec,nosuid,nodev,size={sizeBytes.ToString(CultureInfo.InvariantCulture)},mode={mode}"
        + (owner is null ? "" : $",uid={owner},gid={owner}");
}
