using AgentCluster.Api.V1;
using AgentCluster.Grains.Approvals;
using AgentCluster.Grains.Approvals.Gate;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Sessions;
using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Authentication;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace AgentCluster.Silo.Api;

/// <summary>The orchestrator's side of the gate: ask, wait, report. It can never decide.</summary>
internal sealed class ActionApi(IGrainFactory grains, IAuditLog audit, IOptions<GateOptions> gate) : ActionService.ActionServiceBase
{
    public override async Task<AuthorizeResponse> Authorize(AuthorizeRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Orchestrator, Roles.Admin);
        if (string.IsNullOrWhiteSpace(request.Action) || request.Action.Length > 200 || request.Action.Any(char.IsControl))
            throw Invalid("action must be a name of at most 200 printable characters");
        if (request.Payload.Length > gate.Value.MaxPayloadBytes)
            throw Invalid($"the payload is over {gate.Value.MaxPayloadBytes} bytes");
        var session = await ApiLookups.VisibleSession(grains, caller, request.Session);
        var answer = await grains.GetGrain<ISessionGrain>(session.Id)
            .Authorize(new ActionRequest(request.Action, request.Payload.ToByteArray(), caller.KeyId))
            ?? throw Caller.NotFound("session", request.Session);
        if (answer.Decision == GateDecision.SessionEnded)
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"session {session.Id} has ended"));
        if (answer.Decision == GateDecision.TooManyPending)
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"session {session.Id} has as many approvals pending as its tenant allows"));
        return new AuthorizeResponse
        {
            Decision = answer.Decision == GateDecision.Allowed ? "allowed" : "pending",
            Risk = answer.Classification.Risk.ToString(),
            Reason = answer.Classification.Reason,
            ApprovalId = answer.ApprovalId ?? "",
            Deadline = answer.Deadline is { } d ? Timestamp.FromDateTimeOffset(d) : null,
            PayloadSha256 = ApprovalIds.PayloadHash(request.Payload.Span),
        };
    }

    public override async Task WaitForDecision(WaitForDecisionRequest request, IServerStreamWriter<Approval> responses, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Orchestrator, Roles.Admin);
        var approval = await ApiLookups.VisibleApproval(grains, caller, request.ApprovalId);
        var grain = grains.GetGrain<IApprovalGrain>(approval.Id);
        await responses.WriteAsync(ApprovalMapping.ToProto(approval), context.CancellationToken);
        await DecisionWait.Run(grain, approval, a => responses.WriteAsync(ApprovalMapping.ToProto(a), context.CancellationToken),
            context.CancellationToken);
    }

    public override async Task<CompleteResponse> Complete(CompleteRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Orchestrator, Roles.Admin);
        if (request.PayloadSha256.Length != 64 || !request.PayloadSha256.All(Uri.IsHexDigit))
            throw Invalid("payload_sha256 must be 64 hex characters");
        if (request.Outcome is not ("succeeded" or "failed"))
            throw Invalid("outcome must be succeeded or failed");
        if (!ApprovalIds.IsValid(request.ApprovalId) || await grains.GetGrain<IApprovalGrain>(request.ApprovalId).Get() is not { } a
            || !caller.CanSee(a.Request.Tenant))
        {
            await audit.AppendAsync(AuditedAdministration.Event(caller, caller.Tenant, AuditKinds.ApprovalRefused,
                ApprovalIds.IsValid(request.ApprovalId) ? request.ApprovalId : "(malformed id)") with
            { Outcome = AuditOutcomes.Denied, Reason = "completion refused: no such approval" });
            throw Caller.NotFound("approval", request.ApprovalId);
        }
        var status = await grains.GetGrain<IApprovalGrain>(a.Id).Complete(request.PayloadSha256, request.Outcome, caller.KeyId);
        return status switch
        {
            CompletionStatus.Accepted => new CompleteResponse(),
            CompletionStatus.NotApproved => throw Refused($"approval {a.Id} is not approved"),
            CompletionStatus.AlreadyCompleted => throw Refused($"approval {a.Id} was already completed"),
            CompletionStatus.PayloadMismatch => throw Refused($"the payload is not the one approval {a.Id} was given for"),
            _ => throw Caller.NotFound("approval", a.Id),
        };
    }

    private static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

    private static RpcException Refused(string message) => new(new Status(StatusCode.FailedPrecondition, message));
}
