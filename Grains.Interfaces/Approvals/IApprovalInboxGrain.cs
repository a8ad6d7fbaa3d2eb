namespace AgentCluster.Grains.Approvals;

/// <summary>One per tenant, keyed by tenant name: the ids of its pending approvals.</summary>
[Alias("AgentCluster.Grains.Approvals.IApprovalInboxGrain")]
public interface IApprovalInboxGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task Add(string approvalId);

    /// <summary>Idempotent.</summary>
    [Alias("Remove")]
    Task Remove(string approvalId);

    /// <summary>Pending approvals, oldest first.</summary>
    [Alias("List")]
    Task<IReadOnlyList<string>> List();
}
