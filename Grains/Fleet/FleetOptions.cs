namespace AgentCluster.Grains.Fleet;

/// <summary>The <c>AgentCluster:Fleet</c> configuration section.</summary>
public sealed class FleetOptions
{
    public const string Section = "AgentCluster:Fleet";

    /// <summary><c>AgentCluster:Docker:Endpoint</c>: one engine, registered as host <see cref="LocalHost"/>.</summary>
    public const string SingleEndpointKey = "AgentCluster:Docker:Endpoint";

    public const string LocalHost = "local";

    /// <summary>How often each host is pinged and reconciled.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Consecutive failed checks after which a host is Unhealthy.</summary>
    public int UnhealthyAfter { get; set; } = 3;

    /// <summary>The durable backstop that re-activates a host grain (reminders allow no less than a minute).</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A container younger than this is not asked about its claim: its session may not have
    /// recorded it yet. Its deadline still applies.
    /// </summary>
    public TimeSpan ClaimGrace { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The upper bound of any one Docker call (create, start, list, inspect, kill).</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The per-host internal network every sandbox is attached to, and only to.</summary>
    public string NetworkName { get; set; } = "agentcluster-sandbox";

    /// <summary>The port of each host's egress proxy on that network's gateway (the proxy's AgentCluster:Ports:Proxy).</summary>
    public int ProxyPort { get; set; } = 8443;

    /// <summary>A seccomp profile file; empty means the built-in copy of deploy/seccomp-strict.json.</summary>
    public string SeccompProfile { get; set; } = "";

    public int DefaultCapacity { get; set; } = 20;

    /// <summary>
    /// Images (patterns, <c>*</c> for any run of characters) that are desktops: Xvfb, Chromium and
    /// the computer server. A session of one gets the desktop container settings and the computer
    /// API; any other image gets neither. Configuration (<c>DesktopImages:N</c>) adds to this list.
    /// </summary>
    public List<string> DesktopImages { get; set; } = [DefaultDesktopImages];

    public const string DefaultDesktopImages = "agentcluster/desktop:*";

    public bool IsDesktop(string image) => DesktopImages.Any(p => ImagePatterns.Matches(p, image));

    public SandboxLimits Limits { get; set; } = new();

    public StartBoostOptions DesktopStartBoost { get; set; } = new();

    public WarmPoolOptions WarmPool { get; set; } = new();

    public CanaryOptions Canary { get; set; } = new();

    /// <summary>Hosts registered at start-up, by name.</summary>
    public Dictionary<string, FleetHostOptions> Hosts { get; set; } = new(StringComparer.Ordinal);
}

public sealed class FleetHostOptions
{
    public string Endpoint { get; set; } = "";
    public string? TlsDir { get; set; }
    public int? Capacity { get; set; }
    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>The bounds a session's requested limits must stay within.</summary>
public sealed class SandboxLimits
{
    public long MinMemoryBytes { get; set; } = 64 * SandboxSpec.MiB;
    public long MaxMemoryBytes { get; set; } = 16 * 1024 * SandboxSpec.MiB;
    public long MinPids { get; set; } = 16;
    public long MaxPids { get; set; } = 4096;
    public long MinTmpfsBytes { get; set; } = 1 * SandboxSpec.MiB;
    public long MaxTmpfsBytes { get; set; } = 4 * 1024 * SandboxSpec.MiB;

    /// <summary>0.01 CPU, the least Docker accepts; 0 would mean no limit at all.</summary>
    public long MinNanoCpus { get; set; } = SandboxSpec.NanoCpusPerCpu / 100;
    public long MaxNanoCpus { get; set; } = 64 * SandboxSpec.NanoCpusPerCpu;
}
