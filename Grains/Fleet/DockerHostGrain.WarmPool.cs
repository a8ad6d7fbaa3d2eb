using System.Globalization;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet;

/// <summary>
/// The warm pool: per configured image, idle containers created and started exactly as a
/// session's would be, then paused. A launch that fits takes one. It leaves the pool before
/// anything is awaited, so two launches never get the same container, and it never goes back,
/// whatever happens next. A timer tops the pool up in the background.
/// </summary>
public sealed partial class DockerHostGrain
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

    private IGrainTimer? _refillTimer;
    private bool _refilling;
    private bool _warmFailing;

    private bool CanWarm => state.State is { Registered: true, Health: HostHealth.Healthy, Draining: false } && _listed;

    private int Warming => _warming.Values.Sum();

    public Task<IReadOnlyList<WarmSandbox>> GetWarmPool() =>
        Task.FromResult<IReadOnlyList<WarmSandbox>>([.. _warm.Select(w => new WarmSandbox(w.Id, w.Entry.Image, w.Created, w.Deadline))]);

    private void StartWarmPool() =>
        _refillTimer ??= _options.WarmPool.Pools.Count == 0 ? null : this.RegisterGrainTimer(_ => Refill(), new GrainTimerCreationOptions
        {
            DueTime = _options.WarmPool.RefillInterval,
            Period = _options.WarmPool.RefillInterval,
            KeepAlive = true,
            Interleave = true,
        });

    private void RefillSoon() => _refillTimer?.Change(TimeSpan.Zero, _options.WarmPool.RefillInterval);

    /// <summary>The oldest idle container that fits the spec and outlives its deadline, taken out of the pool for good.</summary>
    private Warm? TakeWarm(SandboxSpec spec)
    {
        var now = clock.GetUtcNow();
        var index = _warm.FindIndex(w => w.Generation == _generation && w.Entry.Fits(spec)
            && spec.Deadline <= w.Deadline && spec.Deadline - now <= w.Entry.MaxSessionTtl);
        if (index < 0)
            return null;
        var warm = _warm[index];
        _warm.RemoveAt(index);
        return warm;
    }

    /// <summary>
    /// Renames the taken container to the session's container name (the binding, kept by the
    /// engine), then unpauses it. Null when that failed for the container rather than for the
    /// session: the container is killed and the launch goes cold.
    /// </summary>
    private async Task<LaunchResult?> Claim(Warm warm, SandboxSpec spec)
    {
        // Bound before the first await: a reconcile that listed it idle must not take it for a stray.
        var binding = _bound[warm.Id] = new Binding(spec.SessionId, spec.Tenant, spec.Deadline, clock.GetUtcNow(), ++_epoch);
        try
        {
            await Engine.RenameAsync(warm.Id, SandboxContainerSpec.ContainerName(spec.SessionId));
            await Engine.UnpauseAsync(warm.Id);
        }
        catch (Exception e)
        {
            RefillSoon();
            await Discard(warm.Id, "its claim failed");
            // The name is taken: the session already has a container, and a cold launch would fail the same way.
            if (e is SandboxLaunchException)
                return LaunchResult.Refused(LaunchStatus.Failed, Name, e.Message);
            logger.LogWarning(e, "Claim of pooled {Container} for session {Session} on {Host} failed; creating one instead", warm.Id, spec.SessionId, Name);
            return null;
        }

        // Only now: the refill's creates would compete with the claim's own calls to the engine.
        RefillSoon();
        Track(Effective(warm.Container with { State = "running" }));
        ScheduleDeadlineKill();
        logger.LogInformation("Claimed pooled {Container} for session {Session} (tenant {Tenant}) on {Host}, deadline {Deadline:O}",
            warm.Id, binding.Session, binding.Tenant, Name, binding.Deadline);
        return LaunchResult.Started(Name, warm.Id, warm.IpAddress) with { Pooled = true };
    }

    /// <summary>
    /// A claimed pool container as its session sees it: the session's tenant and deadline, the
    /// session's name, and young from the claim on, so the reconcile grants it the same grace a
    /// cold launch gets before its session has recorded it.
    /// </summary>
    private SandboxContainer Effective(SandboxContainer listed)
    {
        if (!_bound.TryGetValue(listed.Id, out var b))
            return Extended(listed);
        var deadline = listed.Deadline is { } label && label < b.Deadline ? label : b.Deadline;
        var labels = new Dictionary<string, string>(listed.Labels, StringComparer.Ordinal)
        {
            [SandboxLabels.Tenant] = b.Tenant,
            [SandboxLabels.Deadline] = deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        };
        return listed with { Labels = labels, Name = SandboxContainerSpec.ContainerName(b.Session), Created = b.At };
    }

    /// <summary>
    /// An idle pool container the reconcile may keep: another host's (its own reconcile judges it),
    /// one being made, or one the pool holds and that was paused when listed (unless it joined the
    /// pool after the list began, when it may have been listed before its pause).
    /// </summary>
    private bool HoldsIdle(SandboxContainer container, long listedAt) =>
        container.PoolHost != Name
        || _making.Contains(container.LabelledSession ?? "")
        || _warm.Exists(w => w.Id == container.Id && (container.State == "paused" || w.Epoch > listedAt));

    /// <summary>After a reconcile: what the engine no longer has is no longer pooled or bound.</summary>
    private void PrunePool(long listedAt)
    {
        _warm.RemoveAll(w => !_known.ContainsKey(w.Id));
        foreach (var id in _bound.Where(b => b.Value.Epoch <= listedAt && !_known.ContainsKey(b.Key)).Select(b => b.Key).ToList())
            _bound.Remove(id);
    }

    private void ForgetWarm(string containerId)
    {
        _warm.RemoveAll(w => w.Id == containerId);
        _bound.Remove(containerId);
    }

    private async Task Discard(string containerId, string why)
    {
        try
        {
            await KillOnce(Engine, containerId);
            Forget(containerId);
        }
        catch (Exception e)
        {
            // Idle and not ours any more, or bound to a session that does not claim it: the reconcile kills it.
            logger.LogWarning(e, "Could not kill pool container {Container} on {Host} ({Why})", containerId, Name, why);
        }
    }

    private sealed record Warm(string IpAddress, WarmPoolEntry Entry, SandboxContainer Container, int Generation, long Epoch)
    {
        public string Id => Container.Id;

        public DateTimeOffset Created => Container.Created;

        public DateTimeOffset Deadline => Container.Deadline!.Value;
    }

    private sealed record Binding(string Session, string Tenant, DateTimeOffset Deadline, DateTimeOffset At, long Epoch);
}
