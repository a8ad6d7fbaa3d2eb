using System.Security.Cryptography;

namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// The warm pool: per configured image, idle containers created and started exactly as a
/// session's would be, then paused. A launch that fits takes one. It leaves the pool before
/// anything is awaited, so two launches never get the same container, and it never goes back,
/// whatever happens next. State of a reentrant grain, touched only between its awaits; the grain
/// makes, claims and kills the containers.
/// </summary>
public sealed class WarmPool(WarmPoolOptions options, TimeProvider clock)
{
    /// <summary>Idle and paused, oldest first.</summary>
    private readonly List<Warm> _warm = [];

    /// <summary>Pool containers being made, per pool.</summary>
    private readonly Dictionary<WarmPoolEntry, int> _warming = [];

    /// <summary>The pool ids of those being made: a reconcile may list one before its pool holds it.</summary>
    private readonly HashSet<string> _making = new(StringComparer.Ordinal);

    /// <summary>
    /// Claimed pool containers and what their labels cannot say: the session's tenant and deadline.
    /// The engine keeps the binding itself in the container's name; this only sharpens it.
    /// </summary>
    private readonly Dictionary<string, Binding> _bound = new(StringComparer.Ordinal);

    private bool _failing;

    public IReadOnlyList<WarmSandbox> Sandboxes => [.. _warm.Select(w => new WarmSandbox(w.Id, w.Entry.Image, w.Created, w.Deadline))];

    private int Warming => _warming.Values.Sum();

    /// <summary>The pools this host keeps.</summary>
    public IEnumerable<WarmPoolEntry> Pools(DockerHostState host) => options.Pools.Where(p => p.Size > 0 && p.Serves(host));

    /// <summary>
    /// The oldest idle container of this generation that fits the spec and outlives its deadline,
    /// taken out of the pool for good. A session that egresses takes only one made with a
    /// credential of its own to bind, or a desktop, whose server gets the session's at the claim.
    /// </summary>
    public Warm? Take(SandboxSpec spec, int generation)
    {
        var now = clock.GetUtcNow();
        var index = _warm.FindIndex(w => w.Generation == generation && w.Entry.Fits(spec) && (spec.Proxy is null || w.Credential is not null || w.Entry.Desktop)
            && spec.Deadline <= w.Deadline && spec.Deadline - now <= w.Entry.MaxSessionTtl);
        if (index < 0)
            return null;
        var warm = _warm[index];
        _warm.RemoveAt(index);
        return warm;
    }

    /// <summary>Binds a taken container to its session, from now on.</summary>
    public Binding Bind(Warm warm, SandboxSpec spec, long epoch) =>
        _bound[warm.Id] = new Binding(spec.SessionId, spec.Tenant, spec.Deadline, clock.GetUtcNow(), epoch);

    public void Extend(string containerId, DateTimeOffset deadline)
    {
        if (_bound.TryGetValue(containerId, out var binding))
            _bound[containerId] = binding with { Deadline = deadline };
    }

    /// <summary>
    /// A claimed pool container as its session sees it: the session's tenant and deadline, the
    /// session's name, and young from the claim on, so the reconcile grants it the same grace a
    /// cold launch gets before its session has recorded it. Null when it is not bound here.
    /// </summary>
    public SandboxContainer? Claimed(SandboxContainer listed)
    {
        if (!_bound.TryGetValue(listed.Id, out var b))
            return null;
        var deadline = listed.Deadline is { } label && label < b.Deadline ? label : b.Deadline;
        return listed.Relabelled((SandboxLabels.Tenant, b.Tenant), (SandboxLabels.Deadline, SandboxContainer.DeadlineLabel(deadline)))
            with { Name = SandboxContainerSpec.ContainerName(b.Session), Created = b.At };
    }

    /// <summary>
    /// An idle pool container the reconcile may keep: another host's (its own reconcile judges it),
    /// one being made, or one the pool holds and that was paused when listed (unless it joined the
    /// pool after the list began, when it may have been listed before its pause).
    /// </summary>
    public bool HoldsIdle(SandboxContainer container, string host, long listedAt) =>
        container.PoolHost != host
        || _making.Contains(container.LabelledSession ?? "")
        || _warm.Exists(w => w.Id == container.Id && (container.State == "paused" || w.Epoch > listedAt));

    /// <summary>After a reconcile: what the engine no longer has is no longer pooled or bound.</summary>
    public void Prune(long listedAt, Func<string, bool> known)
    {
        Remove(w => !known(w.Id));
        foreach (var id in _bound.Where(b => b.Value.Epoch <= listedAt && !known(b.Key)).Select(b => b.Key).ToList())
            _bound.Remove(id);
    }

    public void Forget(string containerId)
    {
        Remove(w => w.Id == containerId);
        _bound.Remove(containerId);
    }

    /// <summary>
    /// Takes out what an older generation made (an engine the host has left: nothing to kill there)
    /// and returns what to kill: idle too long, of a pool no longer kept, or all when it may not warm.
    /// </summary>
    public List<Warm> TakeStale(int generation, bool canWarm, IReadOnlySet<WarmPoolEntry> pools)
    {
        var now = clock.GetUtcNow();
        Remove(w => w.Generation != generation);
        var stale = _warm.Where(w => !canWarm || !pools.Contains(w.Entry) || now - w.Created >= w.Entry.IdleTtl).ToList();
        Remove(stale.Contains);
        return stale;
    }

    /// <summary>
    /// The pools to add one container to, at most CreatesAtOnce in flight. Capacity counts
    /// sessions; the pool fills only the <paramref name="free"/> slots sessions leave, and never
    /// pushes one out.
    /// </summary>
    public List<WarmPoolEntry> NextToWarm(IEnumerable<WarmPoolEntry> pools, int free)
    {
        var slots = Math.Min(options.CreatesAtOnce - Warming, free - _warm.Count - Warming);
        var next = new List<WarmPoolEntry>();
        foreach (var pool in pools)
        {
            var missing = pool.Size - _warm.Count(w => w.Entry == pool) - _warming.GetValueOrDefault(pool);
            for (var i = 0; i < missing && next.Count < slots; i++)
                next.Add(pool);
        }
        return next;
    }

    /// <summary>A container about to be made for the pool: counted, and its pool id known, until <see cref="EndMaking"/>.</summary>
    public string BeginMaking(WarmPoolEntry pool)
    {
        _warming[pool] = _warming.GetValueOrDefault(pool) + 1;
        var poolId = "pool-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        _making.Add(poolId);
        return poolId;
    }

    public void Add(Warm warm)
    {
        _warm.Add(warm);
        _failing = false;
    }

    /// <summary>The activation ends: the lines to its idle desktops close with it.</summary>
    public void CloseLines() => _warm.ForEach(Close);

    /// <summary>Out of the pool for good, its line closed: only <see cref="Take"/> hands a line on.</summary>
    private void Remove(Predicate<Warm> match)
    {
        _warm.Where(w => match(w)).ToList().ForEach(Close);
        _warm.RemoveAll(match);
    }

    /// <summary>Not awaited: the pool is touched between a grain's awaits, and a closing attach waits for nothing of the pool's.</summary>
    private static void Close(Warm warm)
    {
        if (warm.Line is { } line)
            _ = line.DisposeAsync().AsTask();
    }

    /// <summary>True for the first failure of a run: an absent image fails every second, and is logged once.</summary>
    public bool Failed()
    {
        var first = !_failing;
        _failing = true;
        return first;
    }

    public void EndMaking(WarmPoolEntry pool, string poolId)
    {
        _warming[pool]--;
        _making.Remove(poolId);
    }

    /// <summary>
    /// An idle container; <see cref="Credential"/> is the pooled egress credential its environment
    /// carries, if any, and <see cref="Line"/> a desktop's attach, open across its pause (null once lost).
    /// </summary>
    public sealed record Warm(string IpAddress, WarmPoolEntry Entry, SandboxContainer Container, int Generation, long Epoch)
    {
        public string? Credential { get; init; }

        public IDesktopLine? Line { get; init; }

        public string Id => Container.Id;

        public DateTimeOffset Created => Container.Created;

        public DateTimeOffset Deadline => Container.Deadline!.Value;
    }

    public sealed record Binding(string Session, string Tenant, DateTimeOffset Deadline, DateTimeOffset At, long Epoch);
}
