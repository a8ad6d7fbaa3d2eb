using AgentCluster.Api.V1;
using AgentCluster.Grains.Approvals;
using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Authentication;
using Grpc.Core;

namespace AgentCluster.Silo.Api;

/// <summary>
/// The human side of the gate. Deciding needs the approver role and nothing else does: an
/// orchestrator key, or anything a session reaches, gets PermissionDenied.
/// </summary>
internal sealed class ApprovalApi(IGrainFactory grains) : ApprovalService.ApprovalServiceBase
{
    private const int MaxNote = 1000;

    public override async Task<ListApprovalsResponse> ListApprovals(ListApprovalsRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Approver, Roles.Admin, Roles.Auditor);
        IReadOnlyList<string> tenants = request.Tenant == "*" && caller.IsClusterAdmin
            ? await grains.GetGrain<ITenantRegistryGrain>(ITenantRegistryGrain.Key).List()
            : [caller.TenantFor(request.Tenant)];
        var ids = (await Task.WhenAll(tenants.Select(t => grains.GetGrain<IApprovalInboxGrain>(t).List()))).SelectMany(x => x);
        var approvals = await Task.WhenAll(ids.Select(id => grains.GetGrain<IApprovalGrain>(id).Get()));
        var response = new ListApprovalsResponse();
        response.Approvals.AddRange(approvals.OfType<ApprovalInfo>().Where(a => !a.IsDecided)
            .OrderBy(a => a.CreatedAt).Select(ApprovalMapping.ToProto));
        return response;
    }

    public override async Task<Approval> GetApproval(GetApprovalRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Approver, Roles.Admin, Roles.Auditor);
        return ApprovalMapping.ToProto(await ApiLookups.VisibleApproval(grains, caller, request.Id));
    }

    public override Task<Approval> Approve(DecideRequest request, ServerCallContext context) => Decide(request, context, approve: true);

    public override Task<Approval> Deny(DecideRequest request, ServerCallContext context) => Decide(request, context, approve: false);

    private async Task<Approval> Decide(DecideRequest request, ServerCallContext context, bool approve)
    {
        var caller = Caller.From(context).Require(Roles.Approver);
        if (!approve && string.IsNullOrWhiteSpace(request.Note))
            throw new RpcException(new Status(StatusCode.InvalidArgument, "a denial needs a reason"));
        if (request.Note.Length > MaxNote || request.Note.Any(c => char.IsControl(c) && c != '\n'))
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"the note must be at most {MaxNote} printable characters"));
        var approval = await ApiLookups.VisibleApproval(grains, caller, request.Id);
        var result = await grains.GetGrain<IApprovalGrain>(approval.Id).Decide(approve, caller.KeyId, request.Note);
        return result.Status switch
        {
            DecisionStatus.Decided => ApprovalMapping.ToProto(result.Approval!),
            DecisionStatus.AlreadyDecided => throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"approval {approval.Id} is already {ApprovalMapping.Name(result.Approval!.Status)}")),
            _ => throw Caller.NotFound("approval", request.Id),
        };
    }
}
