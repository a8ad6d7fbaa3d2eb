namespace AgentCluster.Grains.Approvals;

/// <summary>
/// The approval's screenshot, in a state record of its own beside the approval's: reading or
/// deciding an approval never loads the picture, and the two go together (same grain, same key).
/// </summary>
[GenerateSerializer]
public sealed class ApprovalScreenState
{
    [Id(0)] public ApprovalScreen? Screen { get; set; }
}
