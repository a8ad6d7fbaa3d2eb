using AgentCluster.Api.V1;
using AgentCluster.Silo.Authentication;
using Grpc.Core;

namespace AgentCluster.Silo.Api;

/// <summary>
/// The human side of the gate over gRPC. Deciding needs the approver role and nothing else does:
/// an orchestrator key, or anything a session reaches, gets PermissionDenied.
/// </summary>
internal sealed class ApprovalApi(ApprovalDesk desk) : ApprovalService.ApprovalServiceBase
{
    public override async Task<ListApprovalsResponse> ListApprovals(ListApprovalsRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        var response = new ListApprovalsResponse { CanDecide = ApprovalDesk.CanDecide(caller) };
        response.Approvals.AddRange((await desk.Pending(caller, request.Tenant)).Select(ApprovalMapping.ToProto));
        return response;
    }

    public override async Task<Approval> GetApproval(GetApprovalRequest request, ServerCallContext context) =>
        ApprovalMapping.ToProto(await desk.Get(Caller.From(context), request.Id));

    public override async Task<Approval> Approve(DecideRequest request, ServerCallContext context) =>
        ApprovalMapping.ToProto(await desk.Decide(Caller.From(context), request.Id, approve: true, request.Note));

    public override async Task<Approval> Deny(DecideRequest request, ServerCallContext context) =>
        ApprovalMapping.ToProto(await desk.Decide(Caller.From(context), request.Id, approve: false, request.Note));
}
