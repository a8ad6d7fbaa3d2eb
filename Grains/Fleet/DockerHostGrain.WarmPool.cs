using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Fleet.Hosts;

namespace AgentCluster.Grains.Fleet;

/// <summary>The warm pool's timer: it tops each pool up and replaces what went stale.</summary>
public sealed partial class DockerHostGrain
{
    private IGrainTimer? _refillTimer;
    private bool _refilling;

    private bool CanWarm => state.State is { Registered: true, Health: HostHealth.Healthy, Draining: false } && _ledger.Listed;

    public Task<IReadOnlyList<WarmSandbox>> GetWarmPool() => Task.FromResult(_pool.Sandboxes);

    /// <summary>A next activation's claims attach anew: the open lines of this one's idle desktops close now, not at the containers' end.</summary>
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _pool.CloseLines();
        return Task.CompletedTask;
    }

    private void StartWarmPool() =>
        _refillTimer ??= _options.WarmPool.Pools.Count == 0 ? null : Timer(Refill, _options.WarmPool.RefillInterval, _options.WarmPool.RefillInterval);

    private RefillPacing Pacing => field ??= new(_options.WarmPool.AfterDesktopClaim, clock);

    /// <summary>Once a claim's calls are over: the refill's creates would compete with them (a desktop's, with its first page too).</summary>
    private void RefillAfterClaim() => _refillTimer?.Change(Pacing.NextRefill(), _options.WarmPool.RefillInterval);

    /// <summary>The timer's work: replace what went stale, then make what is missing.</summary>
    private async Task Refill()
    {
        if (_refilling)
            return;
        _refilling = true;
        try
        {
            // An engine out of reach cannot kill: the pool waits for it as it is. An Unsafe one keeps none.
            if (state.State.Health is HostHealth.Healthy or HostHealth.Unsafe)
                await PoolContainers.Recycle(Here, CanWarm);
            // Not while a claimed desktop draws its first page, even if this tick began before the claim.
            if (CanWarm && !Pacing.Quiet)
                await PoolContainers.Fill(Here, () => CanWarm && !Pacing.Quiet, IssueCredential);
        }
        finally
        {
            _refilling = false;
        }
    }

    private Task<bool> IssueCredential(string id, string secretHash, DateTimeOffset expires) =>
        GrainFactory.GetGrain<IPooledCredentialGrain>(id).Issue(secretHash, expires);
}
