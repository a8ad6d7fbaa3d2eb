using AgentCluster.Api.V1;
using AgentCluster.Grains.Sessions;
using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Authentication;
using Grpc.Core;

namespace AgentCluster.Silo.Api;

/// <summary>A tenant's CPU per session: the default a session gets and the most it may ask for.</summary>
internal sealed partial class TenantApi
{
    /// <summary>The quotas with the create request's CPU settings; unset ones take the server's defaults.</summary>
    private static TenantQuotas WithCpus(TenantQuotas quotas, CreateTenantRequest request)
    {
        var max = request.MaxNanoCpus == 0 ? TenantQuotas.DefaultMaxNanoCpus : request.MaxNanoCpus;
        var fallback = Math.Min(Grains.Fleet.SandboxSpec.DefaultNanoCpus, max);
        return Checked(quotas with { DefaultNanoCpus = request.DefaultNanoCpus == 0 ? fallback : request.DefaultNanoCpus, MaxNanoCpus = max });
    }

    /// <summary>
    /// The quotas with the update's CPU settings. The maximum is a quota, so only a cluster admin
    /// raises or lowers it; a tenant's own admin may move the default within it.
    /// </summary>
    private static TenantQuotas WithCpus(TenantQuotas quotas, UpdateTenantRequest request, Caller caller)
    {
        if (request.HasMaxNanoCpus && !caller.IsClusterAdmin)
            throw new RpcException(new Status(StatusCode.PermissionDenied, "only a cluster admin may change a tenant's max cpus"));
        return Checked(quotas with
        {
            DefaultNanoCpus = request.HasDefaultNanoCpus ? request.DefaultNanoCpus : quotas.DefaultNanoCpus,
            MaxNanoCpus = request.HasMaxNanoCpus ? request.MaxNanoCpus : quotas.MaxNanoCpus,
        });
    }

    private static TenantQuotas Checked(TenantQuotas quotas)
    {
        foreach (var (what, value) in new[] { ("default", quotas.DefaultNanoCpus), ("max", quotas.MaxNanoCpus) })
        {
            if (value is < TenantQuotas.MinNanoCpus or > TenantQuotas.NanoCpusCeiling)
                throw Invalid($"{what} cpus {SessionRules.Cpus(value)} must be between {SessionRules.Cpus(TenantQuotas.MinNanoCpus)} "
                    + $"and {SessionRules.Cpus(TenantQuotas.NanoCpusCeiling)}");
        }
        if (quotas.DefaultNanoCpus > quotas.MaxNanoCpus)
            throw Invalid($"default cpus {SessionRules.Cpus(quotas.DefaultNanoCpus)} is over max cpus {SessionRules.Cpus(quotas.MaxNanoCpus)}");
        return quotas;
    }

    private static (string, string)[] CpuDetail(TenantQuotas quotas) =>
        [("defaultCpus", SessionRules.Cpus(quotas.DefaultNanoCpus)), ("maxCpus", SessionRules.Cpus(quotas.MaxNanoCpus))];
}
