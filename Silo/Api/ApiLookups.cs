using AgentCluster.Grains.Approvals;
using AgentCluster.Grains.Sessions;
using AgentCluster.Silo.Authentication;

namespace AgentCluster.Silo.Api;

/// <summary>Finding what a caller may see: another tenant's session or approval is NotFound, exactly like a missing one.</summary>
internal static class ApiLookups
{
    public static async Task<SessionInfo> VisibleSession(IGrainFactory grains, Caller caller, string id) =>
        SessionIds.IsValid(id) && await grains.GetGrain<ISessionGrain>(id).Get() is { } s && caller.CanSee(s.Tenant)
            ? s
            : throw Caller.NotFound("session", id);

    public static async Task<ApprovalInfo> VisibleApproval(IGrainFactory grains, Caller caller, string id) =>
        ApprovalIds.IsValid(id) && await grains.GetGrain<IApprovalGrain>(id).Get() is { } a && caller.CanSee(a.Request.Tenant)
            ? a
            : throw Caller.NotFound("approval", id);
}
