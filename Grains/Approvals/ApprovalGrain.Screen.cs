namespace AgentCluster.Grains.Approvals;

/// <summary>The screen the session showed when the action was asked for.</summary>
public sealed partial class ApprovalGrain
{
    /// <summary>A picture far larger than a 1280x800 screen's PNG is not one.</summary>
    public const int MaxScreenBytes = 8 * 1024 * 1024;

    public async Task<bool> AttachScreen(ApprovalScreen picture)
    {
        if (!Pending || screen.State.Screen is not null || picture.Png.Length is 0 or > MaxScreenBytes)
            return false;
        screen.State.Screen = picture;
        await screen.WriteStateAsync();
        return true;
    }

    public Task<bool> HasScreen() => Task.FromResult(R is not null && screen.State.Screen is not null);

    public Task<ApprovalScreen?> GetScreen() => Task.FromResult(R is null ? null : screen.State.Screen);

    /// <summary>
    /// The picture may show anything the agent saw (a card number, a mailbox): it serves the decision
    /// and goes with it. Called once the approval is closed, and again on activation and on the
    /// reminder, so a silo lost between the close and the delete does not keep it.
    /// </summary>
    private async Task ForgetScreen()
    {
        if (!Pending && screen.State.Screen is not null)
            await screen.ClearStateAsync();
    }
}
