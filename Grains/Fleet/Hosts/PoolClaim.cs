using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// A session's claim of a container taken from the warm pool: its egress credential bound to the
/// session, the container renamed to the session's container name (the binding, kept by the
/// engine), then unpaused; a desktop's computer server is handed the session's egress (the proxy,
/// its own credential, the proxy CA) and its first page, on the line its pool kept open across the
/// pause, written before the unpause (<see cref="IDesktopLine"/>), while its CPU cap is raised for
/// the page's drawing (<see cref="StartBoost"/>). A claim that fails kills the container.
/// </summary>
public sealed class PoolClaim(SandboxKills kills, IDesktopServer desktops, int proxyPort, ILogger logger, StartBoost? boost = null)
{
    /// <summary>
    /// The session's launch, or null when the claim failed for the container rather than for the
    /// session: then the launch goes cold.
    /// </summary>
    /// <param name="bind">Binds a pooled credential to the session; its secret's hash, or null when it cannot be bound.</param>
    /// <param name="claimed">Told once the claim's own engine calls are over, whatever their outcome.</param>
    /// <param name="proxyCa">The proxy CA's certificate (PEM) a desktop's browser is to trust.</param>
    public async Task<LaunchResult?> Run(HostContext h, WarmPool.Warm warm, SandboxSpec spec, Func<string, Task<string?>> bind, Action claimed,
        Func<Task<string?>> proxyCa)
    {
        // Bound before the first await: a reconcile that listed it idle must not take it for a stray.
        var binding = h.Pool.Bind(warm, spec, h.Ledger.NextEpoch());
        string? credentialHash = null;
        try
        {
            // Bound to this session before its sandbox runs: never to two, never to another tenant's.
            if (spec.Proxy is not null && warm.Credential is { } credential)
                credentialHash = await bind(credential)
                    ?? throw new InvalidOperationException($"the pooled credential {credential} of {warm.Id} could not be bound");
            // Known before the rename: a desktop's line takes its session while it is still paused.
            var egress = warm.Entry.Desktop && spec.Proxy is { } proxy && await h.Engine.ProxyAddressAsync() is { } address
                ? new SessionEgress(address, proxyPort, proxy, await proxyCa())
                : null;
            await h.Engine.RenameAsync(warm.Id, SandboxContainerSpec.ContainerName(spec.SessionId));
            // Written before the thaw, read by the server as it wakes; only after the rename, the binding the engine keeps.
            var answered = await WriteAhead(warm, egress, spec.StartUrl);
            await h.Engine.UnpauseAsync(warm.Id);
            // Its egress (and first page) before the session is Ready: the container's environment was fixed before any session.
            if (warm.Entry.Desktop)
            {
                // Beside the hand-off, and not waited for: the page is drawn once its answer comes
                // back, and the engine's update (tens of ms here) need not hold the create up.
                // Raise neither throws nor touches the host's state after its first await.
                _ = boost?.Raise(h, warm.Id, warm.Entry.NanoCpus);
                if (answered is not null)
                    await answered;
                else if (egress is not null || spec.StartUrl is not null)
                    await desktops.StartSessionAsync(h.Engine, warm.Id, egress, spec.StartUrl);
            }
        }
        catch (Exception e)
        {
            await CloseLine(warm);
            claimed();
            await kills.Discard(h, warm.Id, "its claim failed");
            // The name is taken: the session already has a container, and a cold launch would fail the same way.
            if (e is SandboxLaunchException)
                return LaunchResult.Refused(LaunchStatus.Failed, h.Host, e.Message);
            logger.LogWarning(e, "Claim of pooled {Container} for session {Session} on {Host} failed; creating one instead", warm.Id, spec.SessionId, h.Host);
            return null;
        }

        await CloseLine(warm);
        claimed();
        h.Ledger.Track(h.Effective(warm.Container with { State = "running" }));
        logger.LogInformation("Claimed pooled {Container} for session {Session} (tenant {Tenant}) on {Host}, deadline {Deadline:O}",
            warm.Id, binding.Session, binding.Tenant, h.Host, binding.Deadline);
        return LaunchResult.Started(h.Host, warm.Id, warm.IpAddress) with
        {
            Pooled = true, ProxyCredentialHash = credentialHash, PooledCredential = credentialHash is null ? null : warm.Credential,
        };
    }

    /// <summary>
    /// The session's start on the pool's line, or null when there is none or it broke while the
    /// desktop idled: the claim then attaches after the unpause, as an engine allows only then.
    /// </summary>
    private async Task<Task?> WriteAhead(WarmPool.Warm warm, SessionEgress? egress, string? firstPage)
    {
        if (warm.Line is not { } line)
            return null;
        try
        {
            return await line.StartSessionAsync(egress, firstPage);
        }
        catch (Exception e)
        {
            logger.LogInformation(e, "The line to pooled {Container} broke while it idled; its claim attaches after the unpause", warm.Id);
            return null;
        }
    }

    /// <summary>The pool's line has done its one job: the session's computer attaches on its own.</summary>
    private static async Task CloseLine(WarmPool.Warm warm)
    {
        if (warm.Line is { } line)
            await line.DisposeAsync();
    }
}
