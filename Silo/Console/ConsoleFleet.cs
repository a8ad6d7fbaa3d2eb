using System.Globalization;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Api;
using AgentCluster.Silo.Authentication;

namespace AgentCluster.Silo.Console;

/// <summary>The Fleet page: every Docker host with its health (Unsafe and why), load and warm pool; drain and undrain. Cluster admins only.</summary>
internal sealed class ConsoleFleet(IGrainFactory grains, IAuditLog audit)
{
    public async Task<IReadOnlyList<ConsoleHost>> Hosts(Caller caller)
    {
        caller.RequireClusterAdmin();
        var hosts = await grains.GetGrain<IFleetGrain>(IFleetGrain.Key).ListHosts();
        return await Task.WhenAll(hosts.OrderBy(h => h.Name, StringComparer.Ordinal).Select(async h =>
            ConsoleHost.From(h, (await grains.GetGrain<IDockerHostGrain>(h.Name).GetWarmPool()).Count)));
    }

    /// <summary>As <c>agentctl hosts drain</c> does it, audited the same way.</summary>
    public async Task<ConsoleHost> SetDraining(Caller caller, string name, bool drain)
    {
        caller.RequireClusterAdmin();
        var host = grains.GetGrain<IDockerHostGrain>(name);
        if (await host.GetStatus() is null)
            throw Caller.NotFound("host", name);
        var status = drain ? await host.Drain() : await host.Resume();
        await audit.AppendAsync(AuditedAdministration.Event(caller, SystemTenant.Name, drain ? AuditKinds.HostDrained : AuditKinds.HostUndrained,
            status.Name, ("host", status.Name), ("running", status.Running.ToString(CultureInfo.InvariantCulture))));
        return ConsoleHost.From(status, (await host.GetWarmPool()).Count);
    }
}

internal sealed record ConsoleHost(
    string Name, string Endpoint, string Health, string? Why, int Capacity, int Running, int Warm, bool Draining, DateTimeOffset? LastCheckAt)
{
    public static ConsoleHost From(DockerHostStatus h, int warm) =>
        new(h.Name, h.Endpoint, h.Health.ToString(), h.UnsafeReason ?? h.LastError, h.Capacity, h.Running, warm, h.Draining, h.LastCheckAt);
}
