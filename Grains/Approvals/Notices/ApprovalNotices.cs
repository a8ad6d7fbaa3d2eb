using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Approvals.Notices;

/// <summary>
/// The hand-off from an approval grain to the webhook sender. Posting never blocks the grain:
/// the approval works without its notice, and a slow webhook must not hold up a decision.
/// </summary>
public sealed class ApprovalNotices(ILogger<ApprovalNotices> logger)
{
    public const int Capacity = 10_000;

    private readonly Channel<ApprovalInfo> _queue = Channel.CreateBounded<ApprovalInfo>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public ChannelReader<ApprovalInfo> Reader => _queue.Reader;

    public void Post(ApprovalInfo approval)
    {
        if (!_queue.Writer.TryWrite(approval))
            logger.LogWarning("Approval {Approval}: the notice queue is full; no webhook is sent for it", approval.Id);
    }
}
