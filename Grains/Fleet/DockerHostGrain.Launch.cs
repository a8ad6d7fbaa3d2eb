using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Fleet.Hosts;

namespace AgentCluster.Grains.Fleet;

/// <summary>A session's sandbox: launched (from the pool, else cold), killed, extended.</summary>
public sealed partial class DockerHostGrain
{
    public async Task<LaunchResult> Launch(SandboxSpec spec)
    {
        if (LaunchAdmission.Before(Name, state.State, containerSpec.Validate(spec, clock.GetUtcNow())) is { } refused)
            return refused;
        // A fresh activation has not counted the engine's containers yet: count before promising a slot.
        if (!_ledger.Listed)
            await CheckOnce();
        if (LaunchAdmission.Admit(Name, state.State, _health.LastError, _ledger, spec.SessionId) is { } notAdmitted)
            return notAdmitted;
        try
        {
            var launched = (_pool.Take(spec, _health.Generation) is { } warm ? await Claim(warm, spec) : null) ?? await _launch.Cold(Here, spec, ProxyCa);
            ScheduleDeadlineKill();
            return launched;
        }
        catch (Exception e)
        {
            return _launch.Refusal(Name, spec, e);
        }
        finally
        {
            _ledger.EndLaunch(spec.SessionId);
        }
    }

    /// <summary>Null when the claim failed for the container rather than for the session: the launch goes cold.</summary>
    private Task<LaunchResult?> Claim(WarmPool.Warm warm, SandboxSpec spec)
    {
        Pacing.Claiming(warm.Entry.Desktop);
        return PoolClaim.Run(Here, warm, spec,
            credential => GrainFactory.GetGrain<IPooledCredentialGrain>(credential).Bind(spec.SessionId, spec.Tenant),
            RefillAfterClaim, async () => await ProxyCa());
    }

    /// <summary>
    /// The deployment's proxy CA, which a desktop's browser trusts: its certificate only (the key
    /// stays with the proxies), asked once per activation: the CA is made once and kept in the vault.
    /// </summary>
    private async Task<string> ProxyCa() =>
        _proxyCa ??= (await GrainFactory.GetGrain<IProxyAuthorityGrain>(IProxyAuthorityGrain.Key).Get()).CertificatePem;

    private string? _proxyCa;

    public async Task<bool> Kill(string containerId)
    {
        if (!state.State.Registered)
            throw new InvalidOperationException($"Docker host {Name} is not registered");
        return await _kills.Asked(Here, containerId);
    }

    public async Task<bool> Extend(string containerId, DateTimeOffset deadline)
    {
        // Stored even for a container not listed yet (a fresh activation): the next listing applies it.
        state.State.Extensions[containerId] = deadline;
        await Persist();
        _pool.Extend(containerId, deadline);
        if (!_ledger.Extend(containerId, c => HostContext.Extended(state.State, c)))
            return false;
        ScheduleDeadlineKill();
        return true;
    }
}
