using AgentCluster.Grains.Approvals;
using AgentCluster.Grains.Sessions;
using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Authentication;

namespace AgentCluster.Silo.Api;

/// <summary>Finding what a caller may see: another tenant's session or approval is NotFound, exactly like a missing one.</summary>
internal static class ApiLookups
{
    public static async Task<SessionInfo> VisibleSession(IGrainFactory grains, Caller caller, string id) =>
        SessionIds.IsValid(id) && await grains.GetGrain<ISessionGrain>(id).Get() is { } s && caller.CanSee(s.Tenant)
            ? s
            : throw Caller.NotFound("session", id);

    /// <summary>The tenant, when it exists (the system tenant always does); NotFound otherwise, as for any missing name.</summary>
    public static async Task<string> ExistingTenant(IGrainFactory grains, string tenant) =>
        tenant == SystemTenant.Name || await grains.GetGrain<ITenantGrain>(tenant).Get() is not null
            ? tenant
            : throw Caller.NotFound("tenant", tenant);

    public static async Task<ApprovalInfo> VisibleApproval(IGrainFactory grains, Caller caller, string id) =>
        ApprovalIds.IsValid(id) && await grains.GetGrain<IApprovalGrain>(id).Get() is { } a && caller.CanSee(a.Request.Tenant)
            ? a
            : throw Caller.NotFound("approval", id);
}
