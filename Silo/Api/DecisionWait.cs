using AgentCluster.Grains.Approvals;

namespace AgentCluster.Silo.Api;

/// <summary>How a call waits for an approval's decision: long polls, each well inside Orleans' response timeout.</summary>
internal static class DecisionWait
{
    private static readonly TimeSpan PollWindow = TimeSpan.FromSeconds(10);

    /// <summary>Until the approval is decided, reporting its state after each poll; rides out the loss of the silo that hosts it.</summary>
    public static async Task<ApprovalInfo> Run(IApprovalGrain grain, ApprovalInfo approval, Func<ApprovalInfo, Task> progress, CancellationToken ct)
    {
        while (!approval.IsDecided)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                approval = await grain.WaitForDecision(PollWindow) ?? approval;
            }
            catch (Exception e) when (ClusterFaults.IsTransient(e))
            {
                // The silo that hosted it died: the approval reactivates elsewhere from storage.
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
                continue;
            }
            await progress(approval);
        }
        return approval;
    }
}
