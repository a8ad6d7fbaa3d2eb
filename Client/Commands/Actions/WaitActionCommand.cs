using System.CommandLine;
using AgentCluster.Client.Durations;
using AgentCluster.Client.Errors;
using AgentCluster.Client.Output;
using AgentCluster.Client.Sdk;

namespace AgentCluster.Client.Commands.Actions;

internal sealed class WaitActionCommand : Command
{
    private readonly Argument<string> _id = new("id") { Description = "The approval id (apr_…) authorize answered with." };

    public WaitActionCommand(CommandContext context)
        : base("wait", "Wait for an approval's decision. Exit 0 when approved; 12 when denied or expired (the action must not run).")
    {
        ArgumentNullException.ThrowIfNull(context);
        Add(_id);
        SetAction(async (result, cancellationToken) =>
        {
            using var connection = context.Connect(result);
            ApprovalInfo? last = null;
            ProgressLine? progress = null;
            try
            {
                await foreach (var approval in connection.Actions.WaitAsync(result.GetRequiredValue(_id), cancellationToken))
                {
                    last = approval;
                    progress?.Dispose();
                    progress = approval.IsPending ? context.Progress(result, Waiting(approval)) : null;
                }
            }
            finally
            {
                progress?.Dispose();
            }
            if (last is null || last.IsPending)
                throw new InvalidOperationException("the wait ended without a decision");
            context.Output(result).Write(ApprovalView.From(last), ApprovalView.Render);
            if (last.Status != "approved")
                throw new ActionDeniedException($"approval {last.Id} is {last.Status}" + (last.Note.Length > 0 ? $": {last.Note}" : ""));
        });
    }

    private static string Waiting(ApprovalInfo a) =>
        $"waiting for a decision on {a.Id} ({a.Action})"
        + (a.Deadline is { } d ? $", {DurationFormat.Format(d - DateTimeOffset.UtcNow > TimeSpan.Zero ? d - DateTimeOffset.UtcNow : TimeSpan.Zero)} left" : "");
}
