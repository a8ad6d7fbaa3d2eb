using AgentCluster.Api.V1;
using AgentCluster.Grains.Approvals;
using AgentCluster.Grains.Computer;
using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Authentication;
using Grpc.Core;

namespace AgentCluster.Silo.Api;

/// <summary>
/// The computer of a desktop session, for orchestrators. The computer grain checks, gates,
/// performs and audits; this finds the caller's session, waits out a held action's approval and
/// says the outcome in gRPC.
/// </summary>
internal sealed class ComputerApi(IGrainFactory grains, TimeProvider clock) : ComputerService.ComputerServiceBase
{
    /// <summary>The response header that names the approval a held action waits for.</summary>
    public const string ApprovalHeader = "agentcluster-approval-id";

    public override async Task<ScreenshotResponse> Screenshot(ScreenshotRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Orchestrator, Roles.Admin);
        return ComputerMapping.Picture(await Run(caller, request.Session, ComputerMapping.Screenshot(request), context), clock.GetUtcNow());
    }

    public override async Task<ActResponse> Act(ActRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Orchestrator, Roles.Admin);
        var action = ComputerMapping.Act(request);
        return ComputerMapping.Acted(action, await Run(caller, request.Session, action, context));
    }

    public override async Task WatchFrames(WatchFramesRequest request, IServerStreamWriter<ScreenshotResponse> responses, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Orchestrator, Roles.Admin);
        var action = ComputerMapping.Watch(request);
        var first = await Run(caller, request.Session, action, context);
        await responses.WriteAsync(ComputerMapping.Picture(first, clock.GetUtcNow()), context.CancellationToken);
        var computer = grains.GetGrain<IComputerGrain>(request.Session);
        var interval = TimeSpan.FromMilliseconds(action.IntervalMilliseconds ?? ComputerActionRules.DefaultFrameInterval);
        for (var frame = 1; frame < (action.Frames ?? ComputerActionRules.DefaultFrames); frame++)
        {
            await Task.Delay(interval, clock, context.CancellationToken);
            var next = ComputerMapping.Done(await computer.Frame(action.Region, action.Scale)) with { Risk = first.Risk, ApprovalId = first.ApprovalId };
            await responses.WriteAsync(ComputerMapping.Picture(next, clock.GetUtcNow()), context.CancellationToken);
        }
    }

    /// <summary>
    /// The caller's session (another tenant's is NotFound), then the computer grain. A held action
    /// waits here for its decision and is asked again with the approval, which carries it out or refuses it.
    /// </summary>
    private async Task<ComputerOutcome> Run(Caller caller, string sessionId, ComputerAction action, ServerCallContext context)
    {
        var session = await ApiLookups.VisibleSession(grains, caller, sessionId);
        var computer = grains.GetGrain<IComputerGrain>(session.Id);
        var outcome = await computer.Act(action, caller.KeyId, null);
        if (outcome is { Status: ComputerStatus.Pending, ApprovalId: { } approvalId })
        {
            await context.WriteResponseHeadersAsync(new Metadata { { ApprovalHeader, approvalId } });
            await Decided(approvalId, caller, context.CancellationToken);
            outcome = await computer.Act(action, caller.KeyId, approvalId);
        }
        return ComputerMapping.Done(outcome);
    }

    /// <summary>A caller that hangs up first withdraws the approval: nobody approves what will not run.</summary>
    private async Task Decided(string approvalId, Caller caller, CancellationToken ct)
    {
        var grain = grains.GetGrain<IApprovalGrain>(approvalId);
        try
        {
            if (await grain.Get() is { } approval)
                await DecisionWait.Run(grain, approval, _ => Task.CompletedTask, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await grain.Abandon(caller.KeyId, "the Act call that waited for it went away");
            throw;
        }
    }
}
