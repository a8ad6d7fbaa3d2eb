using AgentCluster.ComputerProtocol;
using AgentCluster.Grains.Egress;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// Makes the warm pool's containers: each created and started exactly as a session's would be,
/// then paused. One that cannot be paused is killed; one made for an engine the host has left
/// meanwhile, or for a host removed meanwhile, is killed too. Where sandboxes have a proxy, each
/// gets its own egress credential first; a desktop gets none (its server is handed the session's
/// at the claim) and is paused only once its server answers and its browser's window is up.
/// </summary>
/// <param name="proxyCa">The deployment's proxy CA (public), put in a desktop's environment so that its browser
/// trusts it from its start: a CA first met at the claim's <c>configure</c> would restart the browser.</param>
public sealed class PoolContainers(SandboxContainerSpec containerSpec, int proxyPort, TimeProvider clock, SandboxKills kills,
    IDesktopServer desktops, ILogger logger, Func<Task<string>>? proxyCa = null)
{
    /// <summary>
    /// Kills what went stale: idle too long, of a pool no longer kept here, or all when the host may
    /// not warm. What an endpoint the host has left made is only dropped.
    /// </summary>
    public async Task Recycle(HostContext h, bool canWarm)
    {
        var stale = h.Pool.TakeStale(h.Health.Generation, canWarm, h.Pool.Pools(h.State).ToHashSet());
        await Task.WhenAll(stale.Select(w => kills.Discard(h, w.Id, "recycled")));
    }

    /// <summary>Makes what the host's pools miss, a few at a time, while the host may warm; stops at the first failure.</summary>
    /// <param name="issue">Issues a pooled credential: its id, the hash of its secret, its expiry; false when the id is taken.</param>
    public async Task Fill(HostContext h, Func<bool> canWarm, Func<string, string, DateTimeOffset, Task<bool>> issue)
    {
        while (canWarm() && h.Pool.NextToWarm(h.Pool.Pools(h.State), h.State.Capacity - h.Ledger.Running) is { Count: > 0 } batch)
        {
            var made = await Task.WhenAll(batch.Select(pool => Make(h, pool, issue)));
            // A missing image or a failing engine waits for the next tick rather than spinning.
            if (made.Contains(false))
                break;
        }
    }

    /// <summary>
    /// The CA for a desktop made where sandboxes have a proxy. One that cannot be had is no reason
    /// to keep the pool empty: the claim's <c>configure</c> brings it then, at the cost of a browser restart.
    /// </summary>
    private async Task<string?> DesktopCa(HostContext h)
    {
        if (proxyCa is null || await h.Engine.ProxyAddressAsync() is null)
            return null;
        try
        {
            return await proxyCa();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "A warm desktop on {Host} starts without the proxy CA; its claim will restart its browser", h.Host);
            return null;
        }
    }

    /// <summary>Adds one container to the pool; false when that failed (the next tick tries again).</summary>
    /// <param name="issue">Issues a pooled credential: its id, the hash of its secret, its expiry; false when the id is taken.</param>
    public async Task<bool> Make(HostContext h, WarmPoolEntry pool, Func<string, string, DateTimeOffset, Task<bool>> issue)
    {
        var poolId = h.Pool.BeginMaking(pool);
        var generation = h.Health.Generation;
        try
        {
            var parameters = h.Own(containerSpec.BuildPooled(pool, poolId, h.Host, clock.GetUtcNow()));
            var credential = pool.Desktop ? null : await IssueCredential(h.Engine, pool, parameters, issue);
            if (pool.Desktop && await DesktopCa(h) is { } ca)
                parameters.Env = [.. parameters.Env, $"{ProxySettings.CaEnvironmentVariable}={ca}"];
            var started = await h.Engine.LaunchAsync(parameters);
            var container = new SandboxContainer(started.ContainerId, new Dictionary<string, string>(parameters.Labels), "paused", clock.GetUtcNow(), parameters.Name);
            IDesktopLine? line = null;
            try
            {
                // What a claim gets is a browser on its screen, not a browser's start.
                if (pool.Desktop)
                    line = await desktops.WaitForBrowserAsync(h.Engine, started.ContainerId);
                await h.Engine.PauseAsync(started.ContainerId);
            }
            catch
            {
                await Discard(h, started.ContainerId, line);
                throw;
            }

            // Moved to another endpoint meanwhile (an engine the host has left), or removed from
            // the fleet: nothing would ever claim or recycle it.
            if (generation != h.Health.Generation || !h.State.Registered)
            {
                await Discard(h, started.ContainerId, line);
                return true;
            }
            h.Pool.Add(new WarmPool.Warm(started.IpAddress, pool, container, generation, h.Ledger.Track(container)) { Credential = credential, Line = line });
            return true;
        }
        catch (Exception e)
        {
            // Once per run of failures: the next tick tries again, and an absent image fails every second.
            if (h.Pool.Failed())
                logger.LogWarning(e, "Could not add a {Image} container to the warm pool of {Host}", pool.Image, h.Host);
            return false;
        }
        finally
        {
            h.Pool.EndMaking(pool, poolId);
        }
    }

    private static async Task Discard(HostContext h, string containerId, IDesktopLine? line)
    {
        if (line is not null)
            await line.DisposeAsync();
        await h.Engine.KillAsync(containerId);
    }

    /// <summary>
    /// Where sandboxes have a proxy: the container's own egress credential, made before the
    /// container, since a paused container's environment cannot change. It opens nothing until a
    /// claim binds it, and dies with the container's deadline label.
    /// </summary>
    private async Task<string?> IssueCredential(IDockerEngine engine, WarmPoolEntry pool, CreateContainerParameters parameters,
        Func<string, string, DateTimeOffset, Task<bool>> issue)
    {
        if (await engine.ProxyAddressAsync() is not { } address)
            return null;
        var (id, secret) = (PooledCredentials.NewId(), ProxyCredentials.NewSecret());
        if (!await issue(id, ProxyCredentials.Hash(secret), clock.GetUtcNow() + pool.Lifetime))
            throw new InvalidOperationException($"pooled credential {id} is taken");
        parameters.Env = [.. parameters.Env, .. SandboxContainerSpec.ProxyEnv(new ProxyCredential(id, secret).ProxyUrl(address, proxyPort))];
        return id;
    }
}
