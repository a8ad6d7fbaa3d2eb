namespace AgentCluster.Grains.Fleet;

/// <summary>
/// <c>AgentCluster:Fleet:WarmPool</c>: paused, hardened containers kept ready per host and image.
/// The pools are a list, not a map keyed by image, because an image reference
/// (<c>agentcluster/sandbox:local</c>) contains the colon that configuration keys use as their
/// separator: <c>AgentCluster__Fleet__WarmPool__Pools__0__Image=agentcluster/sandbox:local</c>,
/// <c>AgentCluster__Fleet__WarmPool__Pools__0__Size=4</c>.
/// </summary>
public sealed class WarmPoolOptions
{
    /// <summary>How often each host tops its pools up and replaces stale containers; a claim also triggers it.</summary>
    public TimeSpan RefillInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the refill after a desktop's claim waits: the claimed browser draws the session's
    /// first page in these moments, and on a small host a refill's create, start and browser take
    /// the CPU it needs. Claims inside the window do not extend it. 0 refills at once.
    /// </summary>
    public TimeSpan AfterDesktopClaim { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Pool containers a host creates at once: a refill must not crowd out cold launches.</summary>
    public int CreatesAtOnce { get; set; } = 2;

    public List<WarmPoolEntry> Pools { get; set; } = [];
}

/// <summary>One pool: this many idle containers of one image and one set of limits on every matching host.</summary>
public sealed class WarmPoolEntry
{
    public string Image { get; set; } = "";

    public int Size { get; set; }

    /// <summary>The hosts that keep this pool: those whose labels include all of these (none: every host).</summary>
    public Dictionary<string, string> HostLabels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A session takes a pooled container only if it asked for exactly these limits.</summary>
    public long MemoryBytes { get; set; } = SandboxSpec.DefaultMemoryBytes;

    public long PidsLimit { get; set; } = SandboxSpec.DefaultPidsLimit;

    public long NanoCpus { get; set; } = SandboxSpec.DefaultNanoCpus;

    /// <summary>
    /// Its image is a desktop (the fleet's DesktopImages; set at start, not configured): its
    /// containers get the desktop settings, at least <see cref="SandboxSpec.DesktopPidsLimit"/>
    /// pids as a desktop session does, and are paused only once their browser's window is up.
    /// </summary>
    public bool Desktop { get; set; }

    /// <summary>Sessions with a longer TTL get a cold container.</summary>
    public TimeSpan MaxSessionTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>An idle container older than this is replaced, so what a session gets is fresh.</summary>
    public TimeSpan IdleTtl { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The deadline label of a pool container: its idle life, then the longest session it may
    /// serve. Labels cannot change after create, so this is the bound that still holds when every
    /// grain that knew the container is gone.
    /// </summary>
    public TimeSpan Lifetime => IdleTtl + MaxSessionTtl;

    public bool Serves(DockerHostState host) =>
        HostLabels.All(l => host.Labels.TryGetValue(l.Key, out var value) && value == l.Value);

    /// <summary>
    /// Everything of a session's spec the container was made with; the deadline and the egress
    /// credential are checked apart.
    /// </summary>
    public bool Fits(SandboxSpec spec) =>
        spec.Desktop == Desktop && spec.Image == Image && spec.MemoryBytes == MemoryBytes && spec.PidsLimit == PidsLimit && spec.NanoCpus == NanoCpus
        && spec.TmpSizeBytes == SandboxSpec.DefaultTmpSizeBytes && spec.CacheSizeBytes == SandboxSpec.DefaultCacheSizeBytes;
}
