namespace AgentCluster.Grains.Approvals;

/// <summary>One per tenant, keyed by tenant name: its pending approvals and their sessions.</summary>
[Alias("AgentCluster.Grains.Approvals.IApprovalInboxGrain")]
public interface IApprovalInboxGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task Add(string approvalId, string sessionId);

    /// <summary>Idempotent.</summary>
    [Alias("Remove")]
    Task Remove(string approvalId);

    /// <summary>Pending approvals, oldest first.</summary>
    [Alias("List")]
    Task<IReadOnlyList<string>> List();

    /// <summary>How many of the session's approvals are pending.</summary>
    [Alias("PendingFor")]
    Task<int> PendingFor(string sessionId);

    /// <summary>The session ended: each of its pending approvals becomes a denial.</summary>
    [Alias("WithdrawSession")]
    Task WithdrawSession(string sessionId, string reason);
}
