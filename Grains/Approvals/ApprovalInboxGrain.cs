namespace AgentCluster.Grains.Approvals;

[GenerateSerializer]
public sealed class ApprovalInboxState
{
    [Id(0)] public List<string> Pending { get; set; } = [];
}

public sealed class ApprovalInboxGrain(
    [PersistentState("approval-inbox", StorageNames.Default)] IPersistentState<ApprovalInboxState> state) : Grain, IApprovalInboxGrain
{
    public async Task Add(string approvalId)
    {
        if (state.State.Pending.Contains(approvalId))
            return;
        state.State.Pending.Add(approvalId);
        await state.WriteStateAsync();
    }

    public async Task Remove(string approvalId)
    {
        if (state.State.Pending.Remove(approvalId))
            await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Pending]);
}
