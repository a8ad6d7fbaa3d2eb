using AgentCluster.ComputerProtocol;
using AgentCluster.Grains.Approvals;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Computer;

/// <summary>The screen as it was when an action was held: what its approver decides on.</summary>
public sealed partial class ComputerGrain
{
    /// <summary>Half size: readable at an approval card's width, and a quarter of the bytes to keep.</summary>
    private const double ApprovalScreenScale = 0.5;

    public async Task CaptureForApproval(string approvalId)
    {
        var info = await Session.Get();
        if (Unusable(info) is not null)
            return;
        // Not gated and not audited as an agent's screenshot: the silo takes it, for the approver.
        var shot = await Perform(info!, new ComputerAction(ComputerActions.Screenshot) { Scale = ApprovalScreenScale }, null);
        if (shot is not { Status: ComputerStatus.Done, Png: { } png })
        {
            logger.LogInformation("Session {Session}: no screenshot for approval {Approval}: {Error}", Id, approvalId, shot.Error);
            return;
        }
        await GrainFactory.GetGrain<IApprovalGrain>(approvalId).AttachScreen(
            new ApprovalScreen(png, shot.Width, shot.Height, DateTimeOffset.UtcNow));
    }
}
