using AgentCluster.Grains.Approvals;
using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Authentication;
using Grpc.Core;

namespace AgentCluster.Silo.Api;

/// <summary>
/// What approvers may do, whatever the front end (the gRPC API or the approval console): read
/// the inbox, read one approval, decide. Refusals are RpcExceptions, the API's error currency.
/// </summary>
internal sealed class ApprovalDesk(IGrainFactory grains)
{
    public const int MaxNote = 1000;

    public static readonly string[] Readers = [Roles.Approver, Roles.Admin, Roles.Auditor];

    /// <summary>Whether the key may decide, not only read: what a reader without the role is told.</summary>
    public static bool CanDecide(Caller caller) => caller.Roles.Contains(Roles.Approver);

    /// <summary>
    /// Pending approvals, oldest first: the caller's tenant or the named one; for a cluster admin, whose
    /// own tenant has none, every tenant unless it names one (<c>*</c> too means all).
    /// </summary>
    public async Task<IReadOnlyList<ApprovalInfo>> Pending(Caller caller, string tenant)
    {
        caller.Require(Readers);
        IReadOnlyList<string> tenants = tenant is "*" or "" && caller.IsClusterAdmin
            ? await grains.GetGrain<ITenantRegistryGrain>(ITenantRegistryGrain.Key).List()
            : [await ApiLookups.ExistingTenant(grains, caller.TenantFor(tenant))];
        var ids = (await Task.WhenAll(tenants.Select(t => grains.GetGrain<IApprovalInboxGrain>(t).List()))).SelectMany(x => x);
        var approvals = await Task.WhenAll(ids.Select(id => grains.GetGrain<IApprovalGrain>(id).Get()));
        return [.. approvals.OfType<ApprovalInfo>().Where(a => !a.IsDecided).OrderBy(a => a.CreatedAt)];
    }

    public Task<ApprovalInfo> Get(Caller caller, string id) => ApiLookups.VisibleApproval(grains, caller.Require(Readers), id);

    /// <summary>The approver role and nothing else decides; the first decision wins.</summary>
    public async Task<ApprovalInfo> Decide(Caller caller, string id, bool approve, string note)
    {
        caller.Require(Roles.Approver);
        if (!approve && string.IsNullOrWhiteSpace(note))
            throw new RpcException(new Status(StatusCode.InvalidArgument, "a denial needs a reason"));
        if (note.Length > MaxNote || note.Any(c => char.IsControl(c) && c != '\n'))
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"the note must be at most {MaxNote} printable characters"));
        var approval = await ApiLookups.VisibleApproval(grains, caller, id);
        var result = await grains.GetGrain<IApprovalGrain>(approval.Id).Decide(approve, caller.KeyId, note);
        return result.Status switch
        {
            DecisionStatus.Decided => result.Approval!,
            DecisionStatus.AlreadyDecided => throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"approval {approval.Id} is already {ApprovalMapping.Name(result.Approval!.Status)}")),
            DecisionStatus.Requester => throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"four eyes: {caller.KeyId} asked for approval {approval.Id} (itself, or through session {approval.Request.Session} that it created), "
                + "so another approver must decide it")),
            _ => throw Caller.NotFound("approval", id),
        };
    }
}
